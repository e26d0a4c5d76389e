using System.IO.Compression;
using ObjectStorage.Tests.Support;

namespace ObjectStorage.Tests.Media;

public sealed class KeyPathMappingTests
{
    // Every character the mapping treats specially, and one it does not.
    private const string Alphabet = "%25.\\tmp-a";

    private static IEnumerable<string> AllStrings(int maxLength)
    {
        var level = new List<string> { "" };
        for (int length = 0; length <= maxLength; length++)
        {
            foreach (var s in level) yield return s;
            level = [.. level.SelectMany(s => Alphabet.Select(c => s + c))];
        }
    }

    [Fact]
    public void Every_name_maps_to_one_segment_and_back_and_every_segment_to_one_name_and_back()
    {
        int names = 0;
        foreach (var s in AllStrings(5))
        {
            // As a segment: its name reads back as it.
            var name = KeyPathMapping.ToName(s);
            Assert.True(KeyPathMapping.ToSegment(name) == s, $"segment {ObjectKey.Describe(s)} -> {ObjectKey.Describe(name)} -> {ObjectKey.Describe(KeyPathMapping.ToSegment(name))}");
            Assert.False(name is "" or "." or "..", $"segment {ObjectKey.Describe(s)} became the name {ObjectKey.Describe(name)}");
            Assert.False(KeyPathMapping.IsTemporary(name), $"segment {ObjectKey.Describe(s)} became a temporary name");
            // As a name a directory can list (not empty, not a dot entry, not a temporary file): its segment writes back as it.
            if (s is "" or "." or ".." || KeyPathMapping.IsTemporary(s)) continue;
            names++;
            Assert.True(KeyPathMapping.ToName(KeyPathMapping.ToSegment(s)) == s, $"name {ObjectKey.Describe(s)} does not round-trip");
        }
        Assert.True(names > 100_000, $"{names} names");
    }

    [Theory]
    [InlineData("plain/key.txt", "plain/key.txt")]
    [InlineData("100%/%20 report.pdf", "100%/%20 report.pdf")]
    [InlineData("photos/", "photos/%")]
    [InlineData("a//b", "a/%/b")]
    [InlineData("/etc/passwd", "%/etc/passwd")]
    [InlineData("../../up", "%../%../up")]
    [InlineData("a/./b", "a/%./b")]
    [InlineData("%", "%%25")]
    [InlineData("%..", "%%25..")]
    [InlineData("\\tmp-1", "%\\tmp-1")]
    public void Ordinary_keys_stay_plain_paths_and_only_unnameable_segments_are_escaped(string key, string path)
    {
        Assert.Equal(path, KeyPathMapping.ToRelativePath(key));
        Assert.Equal(key, KeyPathMapping.ToKey(path));
    }

    [Fact]
    public void No_key_of_either_corpus_resolves_outside_the_root()
    {
        var root = Path.Combine(Path.GetTempPath(), "root");
        foreach (var key in KeyCases.RoundTrip.Concat(HostileKeys.All).Where(ObjectKey.IsValid))
        {
            var path = Path.GetFullPath(Path.Join(root, KeyPathMapping.ToRelativePath(key)));
            Assert.True(path.StartsWith(root + "/", StringComparison.Ordinal), $"{ObjectKey.Describe(key)} resolves to {path}");
            Assert.Equal(key, KeyPathMapping.ToKey(KeyPathMapping.ToRelativePath(key)));
        }
    }

    [Fact]
    public void Unzip_of_a_zip_store_makes_the_tree_a_filesystem_store_lists_as_the_same_keys()
    {
        using var dir = new TempDirectory("unzip");
        var keys = KeyCases.RoundTrip;
        using (var zip = new ZipStore(dir.File("keys.zip")))
            for (int i = 0; i < keys.Length; i++) zip.Put(keys[i], [(byte)i]);
        var unpacked = dir.File("unpacked");
        Directory.CreateDirectory(unpacked);
        // .NET's extractor refuses a name that would leave the directory; ours has none.
        ZipFile.ExtractToDirectory(dir.File("keys.zip"), unpacked);
        if (File.Exists("/usr/bin/unzip"))
        {
            // -^ keeps control characters in names, which Info-ZIP otherwise drops.
            var byInfoZip = dir.File("by-unzip");
            Assert.Null(ExternalTool.Run("/usr/bin/unzip", "-^", "-q", dir.File("keys.zip"), "-d", byInfoZip));
            using var other = new FilesystemStore(byInfoZip);
            Assert.Equal(keys.Order(KeyComparer.Utf8), other.Keys());
        }
        using var files = new FilesystemStore(unpacked);
        Assert.Equal(keys.Order(KeyComparer.Utf8), files.Keys());
        for (int i = 0; i < keys.Length; i++) Assert.Equal([(byte)i], files.Get(keys[i]));
    }
}
