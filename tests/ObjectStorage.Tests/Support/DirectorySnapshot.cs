namespace ObjectStorage.Tests.Support;

/// <summary>
/// Every file under a directory with its bytes, taken before and after a test does something
/// hostile, so that the test can show no existing data was harmed and nothing was left beside it.
/// </summary>
public sealed class DirectorySnapshot
{
    private readonly string _root;
    private readonly SortedDictionary<string, byte[]> _files = new(StringComparer.Ordinal);

    private DirectorySnapshot(string root)
    {
        _root = root;
        foreach (var path in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
            _files[Path.GetRelativePath(root, path)] = File.ReadAllBytes(path);
    }

    public static DirectorySnapshot Take(string root) => new(root);

    public IReadOnlyCollection<string> Files => _files.Keys;

    public long Bytes => _files.Values.Sum(b => (long)b.Length);

    /// <summary>Fails unless the directory holds exactly the same files with the same bytes as when the snapshot was taken.</summary>
    public void AssertUnchanged(string what)
    {
        var now = Take(_root);
        var added = now._files.Keys.Except(_files.Keys).ToList();
        var removed = _files.Keys.Except(now._files.Keys).ToList();
        var changed = _files.Keys.Intersect(now._files.Keys).Where(f => !_files[f].AsSpan().SequenceEqual(now._files[f])).ToList();
        Assert.True(added.Count + removed.Count + changed.Count == 0,
            $"{what} changed {_root}: added [{string.Join(", ", added)}], removed [{string.Join(", ", removed)}], changed [{string.Join(", ", changed)}]");
    }
}
