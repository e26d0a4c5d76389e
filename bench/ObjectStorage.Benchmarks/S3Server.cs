using System.Diagnostics;
using Amazon.Runtime;
using Amazon.S3;

namespace ObjectStorage.Benchmarks;

/// <summary>
/// The S3-compatible server that <see cref="S3Benchmarks"/> and <see cref="SyncBenchmarks"/> run
/// against, named by the environment: OBJSTORE_S3_ENDPOINT (required), OBJSTORE_S3_ACCESS_KEY and
/// OBJSTORE_S3_SECRET_KEY (default S3RVER and S3RVER, s3rver's), OBJSTORE_S3_BUCKET (default
/// objstore-tests), and for Ceph RGW optionally OBJSTORE_RGW_CONF (see <see cref="CollectGarbage"/>).
/// <c>bench/run-all.sh rgw</c> sets them from the OBJSTORE_RGW_* variables that .ci/ceph-rgw.sh prints.
/// </summary>
internal sealed record S3Server(string Endpoint, string AccessKey, string SecretKey, string Bucket)
{
    /// <summary>The server the environment names; throws when OBJSTORE_S3_ENDPOINT is not set.</summary>
    public static S3Server FromEnvironment() => new(
        Variable("OBJSTORE_S3_ENDPOINT") ?? throw new InvalidOperationException(
            "Set OBJSTORE_S3_ENDPOINT (and OBJSTORE_S3_ACCESS_KEY, OBJSTORE_S3_SECRET_KEY unless the server is s3rver) to a running S3 server; bench/run-all.sh sync, stores or rgw starts or finds one."),
        Variable("OBJSTORE_S3_ACCESS_KEY") ?? "S3RVER",
        Variable("OBJSTORE_S3_SECRET_KEY") ?? "S3RVER",
        Variable("OBJSTORE_S3_BUCKET") ?? "objstore-tests");

    /// <summary>
    /// A client with the settings both sides of every comparison share: path-style addresses and
    /// checksums only where required (Ceph 16 refuses the SDK's default checksum trailer).
    /// </summary>
    public AmazonS3Client CreateClient(int? maxConnectionsPerServer = null)
    {
        var config = new AmazonS3Config
        {
            ServiceURL = Endpoint,
            ForcePathStyle = true,
            AuthenticationRegion = "us-east-1",
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        if (maxConnectionsPerServer is { } connections) config.MaxConnectionsPerServer = connections;
        return new AmazonS3Client(new BasicAWSCredentials(AccessKey, SecretKey), config);
    }

    /// <summary>Deletes everything under each prefix (a benchmark's objects) and returns how many objects went.</summary>
    public async Task<long> DeletePrefixesAsync(IEnumerable<string> prefixes)
    {
        using var client = CreateClient();
        long deleted = 0;
        foreach (var prefix in prefixes)
        {
            using var store = new BucketStore(client, new BucketStoreOptions { BucketName = Bucket, Prefix = prefix });
            deleted += await store.DeletePrefixAsync("");
        }
        CollectGarbage();
        return deleted;
    }

    /// <summary>
    /// Where OBJSTORE_RGW_CONF names a Ceph cluster's configuration, frees the space of overwritten
    /// and deleted objects now (<c>radosgw-admin gc process --include-all</c>); otherwise does nothing.
    /// </summary>
    /// <remarks>
    /// RGW keeps the data of a replaced object for two hours (rgw_gc_obj_min_wait) in case a read
    /// is still streaming it. The test cluster's OSD holds 4 GiB in memory, which a benchmark that
    /// overwrites 8 MiB and 256 MiB objects hundreds of times would fill for everyone sharing it.
    /// </remarks>
    public static void CollectGarbage()
    {
        if (Variable("OBJSTORE_RGW_CONF") is not { } conf) return;
        var start = new ProcessStartInfo("radosgw-admin") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in new[] { "-c", conf, "gc", "process", "--include-all" }) start.ArgumentList.Add(arg);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("radosgw-admin did not start");
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"radosgw-admin -c {conf} gc process --include-all exited with {process.ExitCode}: {stderr.Result}");
    }

    private static string? Variable(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;
}
