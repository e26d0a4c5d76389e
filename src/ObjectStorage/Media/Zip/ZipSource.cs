using System.IO.Compression;

namespace ObjectStorage.Zip;

/// <summary>
/// An archive on disk opened for reading: its central directory is read once, into a dictionary
/// from key to entry. Entries share one file stream, so callers read them under the store's lock.
/// An entry name is read as a key through <see cref="KeyPathMapping.ToKey"/> (the inverse of how
/// this store writes names), never made into a path, so a foreign name such as <c>../x</c> is
/// simply the key "../x". An archive with a name that is no key (empty, holding U+0000, over 1024
/// bytes) or two names for one key is refused as a whole rather than read in part.
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

    /// <summary>The objects by key (not by entry name).</summary>
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
                if (name.EndsWith('/'))
                {
                    directories.Add(name);
                    continue;
                }
                var key = KeyPathMapping.ToKey(name);
                if (ObjectKey.FindBrokenRule(key, isPrefix: false) is { } rule)
                    throw new InvalidDataException($"entry name {ObjectKey.Describe(name)} is not a key ({rule})");
                if (!objects.TryAdd(key, entry))
                    throw new InvalidDataException($"entries {ObjectKey.Describe(objects[key].FullName)} and {ObjectKey.Describe(name)} both hold the key {ObjectKey.Describe(key)}");
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
