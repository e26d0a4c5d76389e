using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;

namespace ObjectStorage;

/// <summary>
/// One open connection and its statements, each prepared on first use and reused by every later call. A session is
/// used by one thread at a time: the store leases it from <see cref="SqliteSessionPool"/> or holds its write lock.
/// </summary>
internal sealed partial class SqliteSession : IDisposable
{
    private readonly string[] _sql;
    private readonly SqliteCommand?[] _commands = new SqliteCommand?[(int)Statement.Count];

    public SqliteSession(SqliteConnection connection, string[] sql)
    {
        Connection = connection;
        _sql = sql;
    }

    public SqliteConnection Connection { get; }

    /// <summary>The prepared command of <paramref name="statement"/>; set its parameters by name before running it.</summary>
    public SqliteCommand this[Statement statement]
    {
        get
        {
            var command = _commands[(int)statement];
            if (command is not null) return command;
            command = Connection.CreateCommand();
            command.CommandText = _sql[(int)statement];
            foreach (var name in ParameterName().Matches(command.CommandText).Select(static m => m.Value).Distinct(StringComparer.Ordinal))
                command.Parameters.Add(new SqliteParameter(name, null));
            command.Prepare();
            return _commands[(int)statement] = command;
        }
    }

    /// <summary>Runs a statement without parameters or results (BEGIN, COMMIT, ...).</summary>
    public void Run(Statement statement) => this[statement].ExecuteNonQuery();

    /// <summary>Ends the open transaction, if SQLite has not already ended it after an error.</summary>
    public void RollbackQuietly()
    {
        if (SQLitePCL.raw.sqlite3_get_autocommit(Connection.Handle) != 0) return;
        try
        {
            Run(Statement.Rollback);
        }
        catch (SqliteException)
        {
            // The connection is broken beyond rollback; the error that brought us here is the one to report.
        }
    }

    [GeneratedRegex(@"@[a-z]+[0-9]*")]
    private static partial Regex ParameterName();

    public void Dispose()
    {
        foreach (var command in _commands) command?.Dispose();
        Connection.Dispose();
    }
}
