using System.IO.Compression;
using System.Text;

namespace ObjectStorage.Tests.Support;

/// <summary>Builds archives for ZipStore tests directly with System.IO.Compression, not through the store.</summary>
public static class ZipFixtures
{
    /// <summary>Writes an archive with the given entries (a null body makes an entry with no data, as for directories).</summary>
    public static string Write(string path, params (string Name, byte[]? Data)[] entries)
    {
        using var file = File.Create(path);
        using var archive = new ZipArchive(file, ZipArchiveMode.Create, leaveOpen: false, Encoding.UTF8);
        foreach (var (name, data) in entries)
        {
            var entry = archive.CreateEntry(name, CompressionLevel.Fastest);
            if (data is null) continue;
            using var stream = entry.Open();
            stream.Write(data);
        }
        return path;
    }

    /// <summary>An archive with no entries.</summary>
    public static string Empty(string path) => Write(path);

    /// <summary>The entries of an archive read with ZipArchive: name to bytes.</summary>
    public static Dictionary<string, byte[]> Read(string path)
    {
        using var archive = ZipFile.OpenRead(path);
        var result = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var entry in archive.Entries)
        {
            using var stream = entry.Open();
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            result[entry.FullName] = copy.ToArray();
        }
        return result;
    }
}
