using Amazon.S3;
using ObjectStorage.Tests.Support;

namespace ObjectStorage.Tests.Server;

/// <summary>
/// The fixture of the raw-SDK server tests: a DictStore and a FilesystemStore served as buckets, parts
/// spooled to a test directory, and an SDK client; <paramref name="configure"/> changes the options.
/// </summary>
public abstract class SpooledServerTests(Func<ObjectStorage.Server.S3ServerOptions, ObjectStorage.Server.S3ServerOptions>? configure = null) : IAsyncLifetime
{
    protected const int MiB = 1 << 20;

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected TempDirectory Spool { get; } = new("spool");

    protected ServedStores Served { get; private set; } = null!;

    protected AmazonS3Client Client { get; private set; } = null!;

    protected static string DictBucket => ServedStores.BucketOf("dict");

    protected static string FilesystemBucket => ServedStores.BucketOf("filesystem");

    protected ObjectStore Dict => Served.Buckets[DictBucket];

    protected ObjectStore Filesystem => Served.Buckets[FilesystemBucket];

    public async ValueTask InitializeAsync()
    {
        Served = await ServedStores.StartAsync(["dict", "filesystem"], o => (configure ?? (e => e))(o with { MultipartDirectory = Spool.Path }));
        Client = Served.CreateClient();
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Served.DisposeAsync();
        Spool.Dispose();
        GC.SuppressFinalize(this);
    }
}
