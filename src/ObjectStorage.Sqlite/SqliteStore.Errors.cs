using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace ObjectStorage;

// The one place a SQLite error becomes ours.
public partial class SqliteStore
{
    private ObjectStoreException Failed(SqliteException ex, string? key)
    {
        var what = ex.SqliteErrorCode switch
        {
            raw.SQLITE_BUSY or raw.SQLITE_LOCKED => $"the database stayed locked by another connection past the busy timeout ({_options.BusyTimeout})",
            raw.SQLITE_NOTADB => "the file is not a SQLite database",
            raw.SQLITE_CORRUPT => "the database file is corrupt",
            raw.SQLITE_CANTOPEN => "the database file cannot be opened",
            raw.SQLITE_READONLY => "the database cannot be written",
            raw.SQLITE_FULL => "the disk is full",
            raw.SQLITE_TOOBIG => "the object is larger than SQLite's limit for one value",
            _ => "SQLite failed",
        };
        return Failure(key, $"{what}: {ex.Message}", ex);
    }
}
