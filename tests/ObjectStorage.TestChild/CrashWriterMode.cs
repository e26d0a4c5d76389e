using System.Buffers.Binary;

namespace ObjectStorage.TestChild;

/// <summary>
/// Overwrites a set of objects in a loop until it is killed, so a test can kill it mid-write
/// and check that every object is still one complete version.
/// Arguments: <c>filesystem|hashdir root objectCount firstVersion</c>. Prints "writing" once the
/// store is open, then writes versions firstVersion, firstVersion + 1, ... of every object.
/// </summary>
public sealed class CrashWriterMode : IChildMode
{
    public string Name => "crash-writer";

    /// <summary>The key of object <paramref name="index"/>.</summary>
    public static string KeyOf(int index) => $"crash/{index % 3}/object-{index}";

    /// <summary>
    /// The exact bytes of one version of one object: the version and the index (4 bytes each),
    /// then a byte pattern of both, for a length from a few bytes up to 1 MiB that differs per version.
    /// </summary>
    public static byte[] Content(int index, int version)
    {
        uint mix = (uint)(version * 2654435761u) ^ (uint)(index * 40503);
        int length = 8 + (int)(version % 3 == 0 ? mix % 4096 : mix % (1024 * 1024 - 8));
        var data = new byte[length];
        BinaryPrimitives.WriteInt32LittleEndian(data, version);
        BinaryPrimitives.WriteInt32LittleEndian(data.AsSpan(4), index);
        for (int i = 8; i < length; i++) data[i] = (byte)(version * 31 + index * 7 + i);
        return data;
    }

    public int Run(string[] args)
    {
        if (args.Length != 4)
        {
            Console.Error.WriteLine("usage: crash-writer filesystem|hashdir <root> <objectCount> <firstVersion>");
            return 2;
        }
        using ObjectStore store = args[0] switch
        {
            "filesystem" => new FilesystemStore(args[1]),
            "hashdir" => new HashdirStore(args[1]),
            _ => throw new ArgumentException($"unknown store kind {args[0]}"),
        };
        int count = int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture);
        int version = int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture);
        Console.WriteLine("writing");
        Console.Out.Flush();
        for (; ; version++)
        {
            for (int index = 0; index < count; index++)
            {
                var data = Content(index, version);
                // Both write paths: from memory and from a stream copied a buffer at a time.
                if (version % 2 == 0) store.Put(KeyOf(index), data);
                else store.Put(KeyOf(index), new MemoryStream(data, writable: false));
            }
        }
    }
}
