using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace ObjectStorage;

// Schema inspection: a file is taken only when it holds the Python original's table in a UTF-8 database.
public partial class SqliteStore
{
    // Creates the table when missing, and the side table with its triggers, or adds the columns an earlier side table lacks.
    private SideTable EnsureSchema(SqliteConnection connection)
    {
        // Only an empty file takes a page size: the first page written fixes it (a file with data would need a VACUUM).
        if (_options.PageSize is { } pageSize && Pragma(connection, "page_count") == 0) Execute(connection, $"PRAGMA page_size = {pageSize}");
        Execute(connection, "BEGIN IMMEDIATE");
        try
        {
            Execute(connection, SqliteStatements.CreateTable);
            RequireKeyAndData(ColumnsOf(connection, SqliteStatements.Table));
            RequireUtf8(connection);
            var side = ColumnsOf(connection, SqliteStatements.MetaTable);
            if (side.Count == 0)
                foreach (var sql in SqliteStatements.CreateMeta) Execute(connection, sql);
            else if (!side.Contains("content_type"))
                foreach (var sql in SqliteStatements.DescribeColumns) Execute(connection, sql);
            Execute(connection, "COMMIT");
            return SideTable.Described;
        }
        catch
        {
            if (raw.sqlite3_get_autocommit(connection.Handle) == 0) Execute(connection, "ROLLBACK");
            throw;
        }
    }

    // A read-only store changes nothing: the table must be there; the side table says what else it has.
    private SideTable InspectSchema(SqliteConnection connection)
    {
        var columns = ColumnsOf(connection, SqliteStatements.Table);
        if (columns.Count == 0)
            throw Failure(null, $"the database has no table '{SqliteStatements.Table}' (opened read-only, so it is not created)");
        RequireKeyAndData(columns);
        RequireUtf8(connection);
        var side = ColumnsOf(connection, SqliteStatements.MetaTable);
        return side.Count == 0 ? SideTable.None : side.Contains("content_type") ? SideTable.Described : SideTable.Stamped;
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

    private static long Pragma(SqliteConnection connection, string name)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA {name}";
        return (long)command.ExecuteScalar()!;
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
