using Microsoft.Data.Sqlite;

namespace ObjectStorage.TestChild;

/// <summary>
/// Holds the write lock of a SQLite file with plain SQL, as another program would: BEGIN IMMEDIATE, one
/// uncommitted row in <c>objects</c>, then waits. Args: path key release-file. Prints "locked" once it holds
/// the lock; when the release file appears it rolls back and exits; a kill leaves the rollback to SQLite's
/// recovery. Gives up after 60 s so that it never outlives a failed test for long.
/// </summary>
public sealed class SqliteHoldWriteLockMode : IChildMode
{
    public string Name => "sqlite-hold-write-lock";

    public int Run(string[] args)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = args[0], Pooling = false }.ToString());
        connection.Open();
        Execute(connection, "BEGIN IMMEDIATE");
        using (var insert = connection.CreateCommand())
        {
            insert.CommandText = "INSERT OR REPLACE INTO objects (key, data) VALUES (@key, zeroblob(100000))";
            insert.Parameters.AddWithValue("@key", args[1]);
            insert.ExecuteNonQuery();
        }
        Console.WriteLine("locked");
        for (int waited = 0; waited < 60_000 && !File.Exists(args[2]); waited += 20) Thread.Sleep(20);
        Execute(connection, "ROLLBACK");
        Console.WriteLine("released");
        return 0;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
