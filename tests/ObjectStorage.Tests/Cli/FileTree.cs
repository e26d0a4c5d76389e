using ObjectStorage.Tests.Support;

namespace ObjectStorage.Tests.Cli;

/// <summary>Folders of real files for the CLI tests to read and write, and what a folder holds afterwards.</summary>
internal static class FileTree
{
    /// <summary>Creates <paramref name="root"/> with one file per key, of 10 bytes per character of the key.</summary>
    public static string Write(string root, params string[] keys) =>
        Write(root, keys.Select(static k => KeyValuePair.Create(k, TestData.Bytes(10 * k.Length, k.Length))));

    /// <summary>Creates <paramref name="root"/> with the files given.</summary>
    public static string Write(string root, IEnumerable<KeyValuePair<string, byte[]>> files)
    {
        Directory.CreateDirectory(root);
        foreach (var (key, data) in files)
        {
            var path = Path.Combine(root, key);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, data);
        }
        return root;
    }

    /// <summary>The files under <paramref name="root"/> as relative paths in ordinal order; none when it does not exist.</summary>
    public static string[] Files(string root) =>
        !Directory.Exists(root) ? [] : [.. Directory.GetFiles(root, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(root, f)).Order(StringComparer.Ordinal)];
}
