namespace ObjectStorage;

/// <summary>A configuration file that cannot be read or built: names the file, the line where known, and the store.</summary>
public sealed class StoreConfigException : Exception
{
    /// <summary>What is wrong (<paramref name="message"/>) in <paramref name="file"/> at <paramref name="line"/> (1-based; 0 when unknown), in the entry of <paramref name="store"/> if any.</summary>
    public StoreConfigException(string file, int line, string? store, string message, Exception? inner = null)
        : base($"{file}{(line > 0 ? ":" + line : "")}: {(store is null ? "" : $"store \"{store}\": ")}{message}", inner)
    {
        File = file;
        Line = line;
        Store = store;
    }

    /// <summary>The configuration file (or the name given to its text).</summary>
    public string File { get; }

    /// <summary>The 1-based line the error concerns; 0 when the file as a whole is wrong.</summary>
    public int Line { get; }

    /// <summary>The name of the store whose entry is wrong, or null.</summary>
    public string? Store { get; }
}
