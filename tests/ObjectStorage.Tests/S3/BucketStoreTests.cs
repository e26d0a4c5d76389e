using System.Text;
using ObjectStorage.Tests.Conformance;
using ObjectStorage.Tests.Support;

namespace ObjectStorage.Tests.S3;

/// <summary>The conformance suite on each S3 test server; every test instance gets its own prefix in the shared bucket.</summary>
public abstract class BucketStoreConformance(S3TestServer server) : StoreConformance
{
    private readonly string _prefix = S3TestServer.NewPrefix("conformance");

    protected override ObjectStore CreateStore() => new BucketStore(server.Options(_prefix));

    protected override string? CannotHold(string key) => server.CannotHold(key);

    // S3 caps prefix + key at 1024 bytes.
    protected override int MaxKeyBytes => ObjectKey.MaxBytes - Encoding.UTF8.GetByteCount(_prefix + "/");

    // Four 5 MiB parts and a short one; the 64 MiB upload lives in BucketStoreMultipartTests.
    protected override long LargeObjectBytes => (20L << 20) + 12345;
}

public sealed class BucketStoreConformanceOnS3rver() : BucketStoreConformance(S3TestServer.S3rver);

public sealed class BucketStoreConformanceOnRgw() : BucketStoreConformance(S3TestServer.Rgw);
