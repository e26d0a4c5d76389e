using ObjectStorage.Tests.Conformance;
using ObjectStorage.Tests.Support;

namespace ObjectStorage.Tests.Wrappers;

// Every wrapper runs the whole conformance suite over a memory store (and, for GzipStore, over a store
// that implements only the async side, as S3 does).

public sealed class PrefixStoreConformance : StoreConformance
{
    private const string Prefix = "tenants/42";

    protected override ObjectStore CreateStore() => new PrefixStore(new DictStore(), Prefix);

    protected override int MaxKeyBytes => ObjectKey.MaxBytes - Prefix.Length - 1;

    protected override long LargeObjectBytes => 8L << 20;
}

public sealed class ReadOnlyStoreConformance : StoreConformance
{
    private readonly DictStore _inner = new();

    protected override ObjectStore CreateStore() => new ReadOnlyStore(_inner);

    protected override ObjectStore Writer => _inner;

    protected override long LargeObjectBytes => 8L << 20;
}

public sealed class GzipStoreConformance : StoreConformance
{
    protected override ObjectStore CreateStore() => new GzipStore(new DictStore());

    protected override long LargeObjectBytes => 8L << 20;
}

public sealed class GzipStoreOverAsyncOnlyStoreConformance : StoreConformance
{
    protected override ObjectStore CreateStore() => new GzipStore(new AsyncOnlyStore());

    protected override long LargeObjectBytes => 8L << 20;
}
