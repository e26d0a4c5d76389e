namespace ObjectStorage.Tests.Support;

/// <summary>
/// Opens a directory-tree store with or without Linux's unnamed temporary files (O_TMPFILE), through
/// the environment variable the stores read when they open. The variable is the process's, so every
/// test that depends on it opens its store here, one at a time.
/// </summary>
public static class TemporaryFileSwitch
{
    public const string Variable = "OBJSTORE_FS_O_TMPFILE";

    private static readonly Lock s_gate = new();

    /// <summary>The store <paramref name="open"/> makes while unnamed temporary files are allowed (<paramref name="unnamed"/>) or switched off.</summary>
    public static T Open<T>(bool unnamed, Func<T> open)
    {
        lock (s_gate)
        {
            Environment.SetEnvironmentVariable(Variable, unnamed ? null : "0");
            try
            {
                return open();
            }
            finally
            {
                Environment.SetEnvironmentVariable(Variable, null);
            }
        }
    }
}
