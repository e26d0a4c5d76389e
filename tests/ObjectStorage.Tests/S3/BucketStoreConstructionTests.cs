using System.Text;
using Amazon.Runtime;
using Amazon.S3;
using ObjectStorage.Tests.Support;

namespace ObjectStorage.Tests.S3;

/// <summary>The ways to make a BucketStore, and the client settings each gives, against the test s3rver.</summary>
public sealed class BucketStoreConstructionTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public BucketStoreConstructionTests() => BucketStoreUrl.Register();

    [Fact]
    public async Task A_store_over_a_client_and_a_bucket_name_keeps_its_objects_under_the_prefix()
    {
        using var client = S3TestServer.S3rver.CreateClient();
        var prefix = S3TestServer.NewPrefix("shape");
        await using var store = new BucketStore(client, S3TestServer.Bucket, prefix);
        await using var whole = new BucketStore(client, S3TestServer.Bucket);

        await store.PutAsync("k", Encoding.UTF8.GetBytes("v"), Ct);

        Assert.Equal(S3TestServer.Bucket, store.BucketName);
        Assert.Equal(prefix + "/", store.Prefix);
        Assert.Equal("", whole.Prefix);
        Assert.Equal("v", Encoding.UTF8.GetString(await store.GetAsync("k", Ct)));
        Assert.Equal(["k"], await store.KeysAsync("", Ct).ToListAsync(Ct));
        Assert.Equal("v", Encoding.UTF8.GetString(await whole.GetAsync(prefix + "/k", Ct)));
    }

    [Fact]
    public void A_store_over_a_client_refuses_a_missing_client_bucket_or_prefix()
    {
        using var client = S3TestServer.S3rver.CreateClient();
        Assert.Throws<ArgumentNullException>(() => new BucketStore(null!, "bucket"));
        Assert.Throws<ArgumentException>(() => new BucketStore(client, " "));
        Assert.Throws<ArgumentNullException>(() => new BucketStore(client, "bucket", null!));
        Assert.Throws<InvalidKeyException>(() => new BucketStore(client, "bucket", "a\0b"));
    }

    [Fact]
    public async Task Options_naming_only_an_endpoint_reach_a_compatible_service_by_path()
    {
        // By host name, not IP address: the SDK addresses an IP endpoint by path anyway, and would
        // send a request for bucket.localhost without path-style addressing.
        var endpoint = new UriBuilder(S3TestServer.S3rver.RequireEndpoint()) { Host = "localhost" }.Uri.ToString();
        await using var store = new BucketStore(new BucketStoreOptions
        {
            BucketName = S3TestServer.Bucket,
            Prefix = S3TestServer.NewPrefix("endpoint"),
            ServiceUrl = endpoint,
            Credentials = S3TestServer.S3rver.Credentials,
        });

        await store.PutAsync("k", Encoding.UTF8.GetBytes("by path"), Ct);
        var url = store.PresignGetUrl("k", TimeSpan.FromMinutes(5));
        using var http = new HttpClient();

        Assert.Equal("by path", Encoding.UTF8.GetString(await store.GetAsync("k", Ct)));
        Assert.Equal("localhost", url.Host);
        Assert.StartsWith($"/{S3TestServer.Bucket}/", url.AbsolutePath, StringComparison.Ordinal);
        Assert.Equal("by path", await http.GetStringAsync(url, Ct));
    }

    [Fact]
    public void An_endpoint_turns_on_path_style_and_checksums_only_when_required_unless_the_options_turn_them_off()
    {
        var compatible = new BucketStoreOptions { BucketName = "b", ServiceUrl = "http://127.0.0.1:9", Credentials = S3rverProcess.Credentials };
        var turnedOff = compatible with { ForcePathStyle = false, ChecksumOnlyWhenRequired = false };
        var aws = new BucketStoreOptions { BucketName = "b", Region = "eu-west-1", Credentials = S3rverProcess.Credentials };
        var awsTurnedOn = aws with { ForcePathStyle = true, ChecksumOnlyWhenRequired = true };

        Assert.Equal((true, true), ClientSettings(compatible));
        Assert.Equal((false, false), ClientSettings(turnedOff));
        Assert.Equal((false, false), ClientSettings(aws));
        Assert.Equal((true, true), ClientSettings(awsTurnedOn));
    }

    [Theory]
    [InlineData("s3://b/p?endpoint=http://127.0.0.1:9", "http://127.0.0.1:9", null, null)]
    [InlineData("s3://b/p?endpoint=http://127.0.0.1:9&path_style=false&checksum_when_required=no", "http://127.0.0.1:9", false, false)]
    [InlineData("s3://b/p?endpoint=http://127.0.0.1:9&path_style=false", "http://127.0.0.1:9", false, null)]
    [InlineData("s3://b/p?region=eu-west-1", null, null, null)]
    [InlineData("s3://b/p?region=eu-west-1&path_style&checksum_when_required=true", null, true, true)]
    public async Task The_s3_url_gives_a_store_the_client_settings_the_same_options_give_in_code(string url, string? endpoint, bool? pathStyle, bool? checksumWhenRequired)
    {
        var region = endpoint is null ? "eu-west-1" : null;
        await using var opened = StoreUrl.Open(url);
        var fromUrl = Assert.IsType<BucketStore>(opened);
        await using var inCode = new BucketStore(new BucketStoreOptions
        {
            BucketName = "b",
            Prefix = "p",
            ServiceUrl = endpoint,
            Region = region,
            ForcePathStyle = pathStyle,
            ChecksumOnlyWhenRequired = checksumWhenRequired,
        });

        Assert.Equal(ClientSettings(inCode), ClientSettings(fromUrl));
        Assert.Equal(inCode.ToString(), fromUrl.ToString());
    }

    private static (bool PathStyle, bool ChecksumWhenRequired) ClientSettings(BucketStoreOptions options)
    {
        using var store = new BucketStore(options);
        return ClientSettings(store);
    }

    private static (bool PathStyle, bool ChecksumWhenRequired) ClientSettings(BucketStore store)
    {
        var config = Assert.IsType<AmazonS3Config>(store.Client.Config);
        bool request = config.RequestChecksumCalculation == RequestChecksumCalculation.WHEN_REQUIRED;
        bool response = config.ResponseChecksumValidation == ResponseChecksumValidation.WHEN_REQUIRED;
        Assert.Equal(request, response);
        return (config.ForcePathStyle, request);
    }
}
