using System.IO.Compression;

namespace ObjectStorage.Zip;

/// <summary>
/// An archive on disk opened for reading: its central directory is read once, into a dictionary
/// from key to entry. Entries share one file stream, so callers read them under the store's lock.
/// Every entry name must be a valid key (or a directory entry whose path is one); an archive
/// with any other name is refused as a whole, so no entry can yield a key that leaves the store.
/// </summary>
internal sealed class ZipSource : RefCounted
{
    private readonly ZipArchive _archive;

    private ZipSource(ZipArchive archive, Dictionary<string, ZipArchiveEntry> objects, List<string> directories)
    {
        _archive = archive;
        Objects = objects;
        Directories = directories;
    }

    /// <summary>The objects by key.</summary>
    public Dictionary<string, ZipArchiveEntry> Objects { get; }

    /// <summary>Names of directory entries ('/'-terminated); they are not objects, but a rebuilt archive keeps them.</summary>
    public List<string> Directories { get; }

    /// <summary>Opens and indexes the archive; throws <see cref="InvalidDataException"/> when it is not a zip or has an unsafe or duplicate entry name.</summary>
    public static ZipSource Open(string path)
    {
        // Opened as ZipFile.OpenRead opens it, whose file stream settings reads are measured against.
        var archive = ZipFile.OpenRead(path);
        try
        {
            var entries = archive.Entries;
            var objects = new Dictionary<string, ZipArchiveEntry>(entries.Count, StringComparer.Ordinal);
            var directories = new List<string>();
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var entry in entries)
            {
                var name = entry.FullName;
                if (!names.Add(name)) throw new InvalidDataException($"entry {ObjectKey.Describe(name)} appears more than once");
                bool isDirectory = name.EndsWith('/');
                var rule = ObjectKey.FindBrokenRule(isDirectory ? name[..^1] : name, isPrefix: false);
                if (rule is not null)
                    throw new InvalidDataException($"entry name {ObjectKey.Describe(name)} is not a safe key ({rule})");
                if (isDirectory) directories.Add(name);
                else objects.Add(name, entry);
            }
            return new ZipSource(archive, objects, directories);
        }
        catch
        {
            archive.Dispose();
            throw;
        }
    }

    protected override void Free() => _archive.Dispose();
}
