using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace ObjectStorage;

// Schema inspection: a file is taken only when it holds the Python original's table in a UTF-8 database.
public partial class SqliteStore
{
    // Creates the table when missing, and the side table of versions with its triggers; true (stamped) when done.
    private bool EnsureSchema(SqliteConnection connection)
    {
        Execute(connection, "BEGIN IMMEDIATE");
        try
        {
            Execute(connection, SqliteStatements.CreateTable);
            RequireKeyAndData(ColumnsOf(connection, SqliteStatements.Table));
            RequireUtf8(connection);
            if (ColumnsOf(connection, SqliteStatements.MetaTable).Count == 0)
                foreach (var sql in SqliteStatements.CreateMeta) Execute(connection, sql);
            Execute(connection, "COMMIT");
            return true;
        }
        catch
        {
            if (raw.sqlite3_get_autocommit(connection.Handle) == 0) Execute(connection, "ROLLBACK");
            throw;
        }
    }

    // A read-only store changes nothing: the table must be there; true when the side table of versions is too.
    private bool InspectSchema(SqliteConnection connection)
    {
        var columns = ColumnsOf(connection, SqliteStatements.Table);
        if (columns.Count == 0)
            throw Failure(null, $"the database has no table '{SqliteStatements.Table}' (opened read-only, so it is not created)");
        RequireKeyAndData(columns);
        RequireUtf8(connection);
        return ColumnsOf(connection, SqliteStatements.MetaTable).Count > 0;
    }

    // Listings promise UTF-8 byte order, which BINARY collation gives only over UTF-8 text.
    private void RequireUtf8(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA encoding";
        var encoding = command.ExecuteScalar() as string;
        if (!string.Equals(encoding, "UTF-8", StringComparison.OrdinalIgnoreCase))
            throw Failure(null, $"the database's text encoding is {encoding}; keys list in UTF-8 byte order only in a UTF-8 database");
    }

    private void RequireKeyAndData(HashSet<string> columns)
    {
        if (!columns.Contains("key") || !columns.Contains("data"))
            throw Failure(null, $"the table '{SqliteStatements.Table}' has no 'key' and 'data' columns (it has: {string.Join(", ", columns)})");
    }

    private static HashSet<string> ColumnsOf(SqliteConnection connection, string table)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT name FROM pragma_table_info('{table}')";
        using var reader = command.ExecuteReader();
        var columns = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        while (reader.Read()) columns.Add(reader.GetString(0));
        return columns;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
