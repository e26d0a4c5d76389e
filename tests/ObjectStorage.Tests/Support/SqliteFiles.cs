using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace ObjectStorage.Tests.Support;

/// <summary>
/// SQLite files seen from outside SqliteStore: built and read with plain SQL the way the Python original does
/// (<c>objects(key TEXT PRIMARY KEY, data BLOB)</c>, <c>INSERT OR REPLACE</c>), or through Python's own sqlite3.
/// </summary>
public static class SqliteFiles
{
    /// <summary>A plain connection to <paramref name="path"/>, not pooled, so the file is released on dispose.</summary>
    public static SqliteConnection Open(string path, SqliteOpenMode mode = SqliteOpenMode.ReadWriteCreate)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = mode, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    /// <summary>Creates the file exactly as the Python original does, with these rows.</summary>
    public static void CreateLikePythonOriginal(string path, params (string Key, byte[] Data)[] rows)
    {
        using var connection = Open(path);
        Execute(connection, "CREATE TABLE IF NOT EXISTS objects (key TEXT PRIMARY KEY, data BLOB)");
        foreach (var (key, data) in rows) PutLikePythonOriginal(connection, key, data);
    }

    /// <summary>The Python original's put: names only its two columns.</summary>
    public static void PutLikePythonOriginal(string path, string key, byte[] data)
    {
        using var connection = Open(path);
        PutLikePythonOriginal(connection, key, data);
    }

    private static void PutLikePythonOriginal(SqliteConnection connection, string key, byte[] data)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "INSERT OR REPLACE INTO objects (key, data) VALUES (@key, @data)";
        command.Parameters.AddWithValue("@key", key);
        command.Parameters.AddWithValue("@data", data);
        command.ExecuteNonQuery();
    }

    /// <summary>The bytes under <paramref name="key"/> by plain SQL, or null.</summary>
    public static byte[]? Get(string path, string key)
    {
        using var connection = Open(path, SqliteOpenMode.ReadOnly);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT data FROM objects WHERE key = @key";
        command.Parameters.AddWithValue("@key", key);
        return (byte[]?)command.ExecuteScalar();
    }

    /// <summary>Runs one statement and returns its first value.</summary>
    public static object? Scalar(string path, string sql)
    {
        using var connection = Open(path, SqliteOpenMode.ReadOnly);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    /// <summary>One column of every row of a query.</summary>
    public static List<string> Column(string path, string sql, int column = 0)
    {
        using var connection = Open(path, SqliteOpenMode.ReadOnly);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var values = new List<string>();
        while (reader.Read()) values.Add(Convert.ToString(reader.GetValue(column), System.Globalization.CultureInfo.InvariantCulture)!);
        return values;
    }

    public static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>The python3 on PATH, or null.</summary>
    public static string? Python3 { get; } = ExternalTool.FindOnPath("python3");

    /// <summary>Runs <c>python3 -c script args...</c>; skips the test visibly when there is no python3.</summary>
    public static async Task<string> RunPythonAsync(string script, params string[] args)
    {
        Assert.SkipWhen(Python3 is null, "python3 is not on PATH: the check with Python's sqlite3 module cannot run here");
        var info = new ProcessStartInfo(Python3!) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(script);
        foreach (var arg in args) info.ArgumentList.Add(arg);
        using var process = Process.Start(info)!;
        var ct = TestContext.Current.CancellationToken;
        var output = process.StandardOutput.ReadToEndAsync(ct);
        var error = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        Assert.True(process.ExitCode == 0, $"python3 failed ({process.ExitCode}): {await error}");
        return await output;
    }
}
