using System.Diagnostics;
using ObjectStorage.Tests.Support;

namespace ObjectStorage.Tests.Server;

/// <summary>boto3 (Debian's python3-boto3) against <c>objstore serve</c>, checked against the store behind the bucket.</summary>
public sealed class Boto3ServeTests : IAsyncLifetime
{
    // Debian's interpreter: the python3 first on PATH may be another one without boto3.
    private const string Python = "/usr/bin/python3";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string Script = """
        import sys, json
        import boto3
        from boto3.s3.transfer import TransferConfig
        from botocore.config import Config

        endpoint, key, secret, bucket, big = sys.argv[1:6]
        s3 = boto3.client("s3", endpoint_url=endpoint, aws_access_key_id=key, aws_secret_access_key=secret,
                          region_name="us-east-1", config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1}))
        seen = {}
        put = s3.put_object(Bucket=bucket, Key="meta/doc.txt", Body=b"0123456789", ContentType="text/plain", Metadata={"color": "blue"})
        seen["dropped"] = put["ResponseMetadata"]["HTTPHeaders"].get("x-objstore-metadata-dropped")
        seen["range"] = s3.get_object(Bucket=bucket, Key="meta/doc.txt", Range="bytes=2-5")["Body"].read().decode()
        for k in ["dir/a", "dir/sub/b", "dir/sub/c"]:
            s3.put_object(Bucket=bucket, Key=k, Body=k.encode())
        listing = s3.list_objects_v2(Bucket=bucket, Prefix="dir/", Delimiter="/")
        seen["contents"] = [o["Key"] for o in listing.get("Contents", [])]
        seen["prefixes"] = [p["Prefix"] for p in listing.get("CommonPrefixes", [])]
        s3.upload_file(big, bucket, "big.bin", Config=TransferConfig(multipart_threshold=5 * 2**20, multipart_chunksize=5 * 2**20, max_concurrency=4))
        seen["big_etag"] = s3.head_object(Bucket=bucket, Key="big.bin")["ETag"]
        s3.copy_object(CopySource={"Bucket": bucket, "Key": "big.bin"}, Bucket=bucket, Key="copy/big.bin")
        deleted = s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": "dir/a"}, {"Key": "dir/sub/b"}, {"Key": "dir/sub/c"}]})
        seen["deleted"] = sorted(d["Key"] for d in deleted.get("Deleted", []))
        seen["errors"] = deleted.get("Errors", [])
        print(json.dumps(seen))
        """;

    private readonly TempDirectory _scratch = new("boto3");
    private ServedStores _served = null!;

    public async ValueTask InitializeAsync() => _served = await ServedStores.StartAsync(["filesystem"]);

    public async ValueTask DisposeAsync()
    {
        await _served.DisposeAsync();
        _scratch.Dispose();
    }

    [Fact]
    public async Task Boto3_puts_reads_a_range_lists_by_delimiter_uploads_multipart_copies_and_deletes()
    {
        Assert.SkipUnless(File.Exists(Python) && ExternalTool.Run(Python, "-c", "import boto3") is null,
            "Debian's python3-boto3 is not installed (apt-get install -y python3-boto3; .ci/run installs it)");
        var big = TestData.Bytes((12 << 20) + 7, seed: 21);
        await File.WriteAllBytesAsync(_scratch.File("big.bin"), big, Ct);
        await File.WriteAllTextAsync(_scratch.File("script.py"), Script, Ct);
        var store = _served.Buckets[ServedStores.BucketOf("filesystem")];

        var output = await RunAsync(_scratch.File("script.py"), _served.Endpoint, ServedStores.Credentials.AccessKeyId, ServedStores.Credentials.SecretAccessKey,
            ServedStores.BucketOf("filesystem"), _scratch.File("big.bin"));
        using var seen = System.Text.Json.JsonDocument.Parse(output);
        string[] Strings(string name) => [.. seen.RootElement.GetProperty(name).EnumerateArray().Select(e => e.GetString()!)];

        // A FilesystemStore keeps no user metadata: the answer says so instead of dropping it in silence.
        Assert.Equal("ContentType, UserMetadata", seen.RootElement.GetProperty("dropped").GetString());
        Assert.Equal("2345", seen.RootElement.GetProperty("range").GetString());
        Assert.Equal(["dir/a"], Strings("contents"));
        Assert.Equal(["dir/sub/"], Strings("prefixes"));
        Assert.Equal(["dir/a", "dir/sub/b", "dir/sub/c"], Strings("deleted"));
        Assert.Empty(seen.RootElement.GetProperty("errors").EnumerateArray());
        Assert.Equal("0123456789"u8.ToArray(), await store.GetAsync("meta/doc.txt", Ct));
        Assert.Equal(big, await store.GetAsync("big.bin", Ct));
        Assert.Equal(big, await store.GetAsync("copy/big.bin", Ct));
        Assert.Equal(["big.bin", "copy/big.bin", "meta/doc.txt"], await store.KeysAsync("", Ct).ToListAsync(Ct));
    }

    private static async Task<string> RunAsync(params string[] args)
    {
        var info = new ProcessStartInfo(Python);
        foreach (var arg in args) info.ArgumentList.Add(arg);
        info.Environment.Remove("AWS_CA_BUNDLE");
        info.Environment.Remove("AWS_PROFILE");
        info.Environment["AWS_CONFIG_FILE"] = "/dev/null";
        info.Environment["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null";
        var (exitCode, output, error) = await ExternalTool.RunAsync(info);
        Assert.True(exitCode == 0, $"the boto3 script exited {exitCode}: {error}");
        return output;
    }
}
