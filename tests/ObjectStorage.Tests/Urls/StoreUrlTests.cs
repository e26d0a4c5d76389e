namespace ObjectStorage.Tests.Urls;

/// <summary>The store URL registry in the core: parsing, registration, and the errors that show the accepted forms.</summary>
public sealed class StoreUrlTests
{
    [Fact]
    public void Mem_url_opens_a_new_empty_DictStore_each_time()
    {
        using var first = StoreUrl.Open("mem://");
        first.Put("k", [1]);
        using var second = StoreUrl.Open("mem://");

        Assert.IsType<DictStore>(first);
        Assert.False(second.Exists("k"));
    }

    [Theory]
    [InlineData("sqlite:///abs/dir/x.db", "sqlite", "/abs/dir/x.db")]
    [InlineData("sqlite://relative/x.db", "sqlite", "relative/x.db")]
    [InlineData("SQLITE://x.db", "sqlite", "x.db")]
    [InlineData("zip:///tmp/a%20b.zip?mode=read", "zip", "/tmp/a b.zip")]
    [InlineData("s3://bucket/some/prefix?endpoint=http://127.0.0.1:9000", "s3", "bucket/some/prefix")]
    [InlineData("relative/dir", "file", "relative/dir")]
    [InlineData("/abs/dir", "file", "/abs/dir")]
    [InlineData(@"C:\data\objects", "file", @"C:\data\objects")]
    [InlineData("./notes:2024", "file", "./notes:2024")]
    [InlineData("sqlite://100%.db", "sqlite", "100%.db")]
    public void Parse_splits_scheme_and_location(string url, string scheme, string location)
    {
        var parsed = StoreUrl.Parse(url);

        Assert.Equal(scheme, parsed.Scheme);
        Assert.Equal(location, parsed.Location);
        Assert.Equal(url, parsed.Text);
    }

    [Fact]
    public void Parse_decodes_query_options_with_lower_case_names()
    {
        var parsed = StoreUrl.Parse("s3://b/p?Endpoint=http%3A%2F%2Fhost%3A9000&path_style&region=eu-west-1");

        Assert.Equal("http://host:9000", parsed.Option("endpoint"));
        Assert.True(parsed.BoolOption("path_style", fallback: false));
        Assert.Equal("eu-west-1", parsed.Option("region"));
        Assert.Null(parsed.Option("absent"));
    }

    [Theory]
    [InlineData("", "the URL is empty")]
    [InlineData("mem:", "must be followed by \"//\"")]
    [InlineData("sqlite:x.db", "must be followed by \"//\"")]
    [InlineData("nosuch://x", "unknown scheme \"nosuch\"")]
    [InlineData("mem://x", "takes no location")]
    [InlineData("mem://?size=3", "unknown option \"size\"")]
    [InlineData("mem://?a=1&a=2", "given twice")]
    [InlineData("mem://?=1", "without a name")]
    public void A_bad_url_throws_StoreUrlException_with_the_reason_and_the_accepted_forms(string url, string reason)
    {
        var error = Assert.Throws<StoreUrlException>(() => StoreUrl.Open(url));

        Assert.Contains(reason, error.Reason);
        Assert.Contains("Accepted forms: ", error.Message);
        Assert.Contains("mem://", error.Message);
        Assert.Equal(url, error.Url);
        Assert.IsAssignableFrom<ArgumentException>(error);
    }

    [Fact]
    public void A_registered_scheme_opens_through_its_factory_and_its_forms_are_listed()
    {
        var scheme = "test" + Guid.NewGuid().ToString("N")[..8];
        StoreAccess? seen = null;
        StoreUrl.Register(scheme, (url, access) =>
        {
            url.AllowOnly("n");
            seen = access;
            var store = new DictStore();
            for (int i = 0; i < url.IntOption("n", 0, min: 0, max: 10); i++) store.Put($"k{i}", [1]);
            return store;
        }, $"{scheme}://[?n=COUNT]");

        using var opened = StoreUrl.Open($"{scheme}://?n=3", StoreAccess.Read);

        Assert.Equal(3, opened.Keys().Count());
        Assert.Equal(StoreAccess.Read, seen);
        Assert.True(StoreUrl.IsRegistered(scheme.ToUpperInvariant()));
        Assert.Contains($"{scheme}://[?n=COUNT]", StoreUrl.AcceptedForms);
        var error = Assert.Throws<StoreUrlException>(() => StoreUrl.Open($"{scheme}://?n=11"));
        Assert.Contains("from 0 to 10", error.Reason);
    }

    [Fact]
    public void Register_rejects_a_name_that_is_not_a_scheme()
    {
        Assert.Throws<ArgumentException>(() => StoreUrl.Register("no scheme", (_, _) => new DictStore()));
    }
}
