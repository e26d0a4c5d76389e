using ObjectStorage.Tests.Conformance;
using ObjectStorage.Tests.Support;

namespace ObjectStorage.Tests.Redis;

/// <summary>The conformance suite on Redis; every test instance gets its own key prefix over the shared connection.</summary>
public sealed class RedisStoreConformance : StoreConformance
{
    protected override ObjectStore CreateStore() => RedisTestServer.NewStore("conformance");

    // A Redis string is written whole from memory; 50 MiB is well inside the 512 MiB limit but slow to no purpose here.
    protected override long LargeObjectBytes => (20L << 20) + 12345;
}
