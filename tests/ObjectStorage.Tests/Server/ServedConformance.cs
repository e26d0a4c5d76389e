using System.Text;
using ObjectStorage.Tests.Conformance;
using ObjectStorage.Tests.Support;

namespace ObjectStorage.Tests.Server;

/// <summary>One served store per test class; each test gets its own key prefix in it, as BucketStoreConformance does on s3rver.</summary>
public abstract class ServedFixture(string medium) : IAsyncLifetime
{
    public string Medium { get; } = medium;

    public ServedStores Served { get; private set; } = null!;

    public async ValueTask InitializeAsync() => Served = await ServedStores.StartAsync([Medium]);

    public async ValueTask DisposeAsync()
    {
        await Served.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}

public sealed class ServedDictFixture() : ServedFixture("dict");

public sealed class ServedFilesystemFixture() : ServedFixture("filesystem");

public sealed class ServedSqliteFixture() : ServedFixture("sqlite");

/// <summary>The whole conformance suite through BucketStore (the real AWS SDK) against <c>objstore serve</c> over one medium.</summary>
public abstract class ServedConformance(ServedFixture fixture, UploadMode upload) : StoreConformance
{
    private readonly string _prefix = S3TestServer.NewPrefix("served");

    protected override ObjectStore CreateStore() => new BucketStore(fixture.Served.StoreOptions(fixture.Medium, _prefix, upload));

    protected override int MaxKeyBytes => ObjectKey.MaxBytes - Encoding.UTF8.GetByteCount(_prefix + "/");
}

public sealed class ServedDictConformance(ServedDictFixture fixture)
    : ServedConformance(fixture, UploadMode.ChunkedWithChecksumTrailer), IClassFixture<ServedDictFixture>;

public sealed class ServedFilesystemConformance(ServedFilesystemFixture fixture)
    : ServedConformance(fixture, UploadMode.Plain), IClassFixture<ServedFilesystemFixture>
{
    protected override bool KeysMayNestUnderKeys => false;

    // The served FilesystemStore keeps times only; the server stores the bytes and names the dropped headers
    // (x-objstore-metadata-dropped), while the BucketStore client declares what S3 keeps.
    protected override string? MetadataNotKept => "the served FilesystemStore keeps no Content-Type or x-amz-meta-*";
}

public sealed class ServedSqliteConformance(ServedSqliteFixture fixture)
    : ServedConformance(fixture, UploadMode.SignedChunks), IClassFixture<ServedSqliteFixture>;
