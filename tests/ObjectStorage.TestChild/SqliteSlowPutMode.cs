namespace ObjectStorage.TestChild;

/// <summary>
/// Puts one large object from an endless-looking stream that the test kills the process in the middle of.
/// Args: path key. Prints "writing" once the put has begun handing bytes to the store.
/// </summary>
public sealed class SqliteSlowPutMode : IChildMode
{
    public string Name => "sqlite-slow-put";

    public int Run(string[] args)
    {
        using var store = new SqliteStore(args[0]);
        var data = new byte[64 << 20];
        data.AsSpan().Fill(0xEE);
        // Seekable, so the bytes go straight into the blob inside the open transaction.
        using var stream = new AnnouncingStream(data);
        store.Put(args[1], stream);
        Console.WriteLine("finished");
        return 0;
    }

    private sealed class AnnouncingStream(byte[] data) : MemoryStream(data, writable: false)
    {
        private bool _announced;

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (Position > (8 << 20))
            {
                if (!_announced)
                {
                    _announced = true;
                    Console.WriteLine("writing");
                }
                Thread.Sleep(50);
            }
            return base.Read(buffer, offset, count);
        }
    }
}
