namespace ObjectStorage.TestChild;

/// <summary>
/// Writes <c>count</c> objects <c>prefix/i</c> (content: the key's UTF-8 bytes repeated) into a SqliteStore, reading
/// each back, while the test process uses the same file. Args: path prefix count busy-timeout-seconds.
/// </summary>
public sealed class SqliteWriterMode : IChildMode
{
    public string Name => "sqlite-writer";

    public int Run(string[] args)
    {
        var (path, prefix, count) = (args[0], args[1], int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture));
        var options = new SqliteStoreOptions { BusyTimeout = TimeSpan.FromSeconds(double.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture)) };
        using var store = new SqliteStore(path, options);
        Console.WriteLine("ready");
        for (int i = 0; i < count; i++)
        {
            var key = $"{prefix}/{i:D4}";
            var data = Content(key);
            if (i % 10 == 0) store.PutMany([new(key, data)]);
            else store.Put(key, data);
            if (!store.Get(key).AsSpan().SequenceEqual(data))
            {
                Console.Error.WriteLine($"{key} read back differently");
                return 1;
            }
        }
        Console.WriteLine("done");
        return 0;
    }

    /// <summary>What the child writes under <paramref name="key"/>; the test checks it with the same function.</summary>
    public static byte[] Content(string key) =>
        [.. Enumerable.Repeat(System.Text.Encoding.UTF8.GetBytes(key), 50).SelectMany(b => b)];
}
