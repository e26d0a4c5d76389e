namespace ObjectStorage.Tests.Core;

public sealed class PutOptionsTests
{
    [Fact]
    public void User_metadata_names_are_case_insensitive_and_kept_in_lower_case_in_order()
    {
        var metadata = new UserMetadata(new Dictionary<string, string> { ["Zeta"] = "1", ["alpha"] = "2" });
        Assert.Equal(["alpha", "zeta"], metadata.Keys);
        Assert.Equal("1", metadata["ZETA"]);
        Assert.True(metadata.ContainsKey("Alpha"));
        Assert.Equal(metadata, new UserMetadata(new Dictionary<string, string> { ["ALPHA"] = "2", ["zeta"] = "1" }));
        Assert.NotEqual(metadata, new UserMetadata(new Dictionary<string, string> { ["alpha"] = "2", ["zeta"] = "one" }));
    }

    [Fact]
    public void User_metadata_refuses_a_name_given_twice_in_different_cases()
    {
        var error = Assert.Throws<ArgumentException>(() => new UserMetadata([new("Name", "a"), new("NAME", "b")]));
        Assert.Contains("given twice", error.Message);
    }

    [Fact]
    public void User_metadata_refuses_more_than_S3_holds()
    {
        Assert.True(UserMetadata.TryCreate([new("k", new string('v', UserMetadata.MaxBytes - 1))], out _, out _));
        Assert.False(UserMetadata.TryCreate([new("k", new string('v', UserMetadata.MaxBytes))], out _, out var rule));
        Assert.Contains("S3", rule);
    }

    [Theory]
    [InlineData("new\nline")]
    [InlineData("nul\0")]
    [InlineData("half-pair")]
    public void User_metadata_refuses_control_characters_and_broken_text_in_values(string value)
    {
        // A lone surrogate does not survive an attribute's UTF-8, so that case is built here.
        if (value == "half-pair") value = "half " + '\ud800' + " pair";
        Assert.False(UserMetadata.TryCreate([new("k", value)], out _, out var rule));
        Assert.Contains("'k'", rule);
    }

    [Fact]
    public void Keeping_drops_only_the_kinds_left_out()
    {
        var options = new PutOptions { ContentType = "a/b", Metadata = new Dictionary<string, string> { ["k"] = "v" }, LastModified = DateTimeOffset.UnixEpoch };
        Assert.Equal(MetadataKinds.All, options.Kinds);
        var timeOnly = options.Keeping(MetadataKinds.ModificationTime);
        Assert.Equal(MetadataKinds.ModificationTime, timeOnly.Kinds);
        Assert.Equal(DateTimeOffset.UnixEpoch, timeOnly.LastModified);
        Assert.Same(options, options.Keeping(MetadataKinds.All));
        Assert.Equal(MetadataKinds.None, new PutOptions { Metadata = new Dictionary<string, string>() }.Kinds);
    }

    [Fact]
    public void A_store_that_keeps_nothing_refuses_metadata_by_name_rather_than_dropping_it()
    {
        using var store = new KeepsNothingStore();
        var error = Assert.Throws<NotSupportedException>(() => store.Put("k", [1], new PutOptions { ContentType = "text/plain" }));
        Assert.Contains("KeepsNothingStore", error.Message);
        Assert.Contains("\"k\"", error.Message);
        Assert.Contains("a content type", error.Message);
        Assert.False(store.Exists("k"));
        store.Put("k", [1], PutOptions.None);
        Assert.True(store.Exists("k"));
    }

    [Fact]
    public void Fanout_keeps_what_every_child_keeps_at_the_coarsest_precision()
    {
        using var fanout = new FanoutStore([new DictStore(), new KeepsNothingStore()]);
        Assert.Equal(MetadataKinds.None, fanout.MetadataSupport.Kept);
        using var dicts = new FanoutStore([new DictStore(), new DictStore()]);
        Assert.Equal(MetadataKinds.All, dicts.MetadataSupport.Kept);
    }

    // A medium that keeps bytes only: the base class's default declaration.
    private sealed class KeepsNothingStore : ObjectStore
    {
        private readonly Dictionary<string, byte[]> _objects = [];

        public override string ToString() => "KeepsNothingStore";

        protected override byte[]? GetCore(string key) => _objects.GetValueOrDefault(key);

        protected override void PutCore(string key, ReadOnlyMemory<byte> data, PutOptions options) => _objects[key] = data.ToArray();

        protected override ObjectInfo? StatCore(string key) => _objects.TryGetValue(key, out var data) ? new ObjectInfo(key, data.Length) : null;

        protected override void DeleteCore(string key) => _objects.Remove(key);

        protected override IEnumerable<ObjectInfo> ListCore(string prefix) =>
            _objects.Where(o => o.Key.StartsWith(prefix, StringComparison.Ordinal)).OrderBy(o => o.Key, KeyComparer.Utf8).Select(o => new ObjectInfo(o.Key, o.Value.Length));
    }
}
