using ObjectStorage.Tests.Conformance;

namespace ObjectStorage.Tests.Composites;

// Every composite and wrapper runs the whole conformance suite. A variant over another medium
// (FilesystemStore children, a SQLite main store) is one more subclass here. Over memory the large
// streamed object is 8 MiB rather than 50: past every threshold these stores have (the fan-out's
// 1 MiB memory spool, the gzip trailer's 4,000,000 bytes) at a fraction of the run time.

public sealed class FanoutOfTwoDictStoresConformance : StoreConformance
{
    protected override ObjectStore CreateStore() => new FanoutStore(new DictStore(), new DictStore());

    protected override long LargeObjectBytes => 8L << 20;
}

public sealed class FanoutWithReadRepairConformance : StoreConformance
{
    protected override ObjectStore CreateStore() =>
        new FanoutStore([new DictStore(), new DictStore(), new DictStore()], new FanoutOptions { ReadRepair = true });

    protected override long LargeObjectBytes => 8L << 20;
}

public sealed class CachingStoreConformance : StoreConformance
{
    protected override ObjectStore CreateStore() => new CachingStore(new DictStore(), new DictStore());

    protected override long LargeObjectBytes => 8L << 20;
}

public sealed class CachingStoreWithBoundedCacheConformance : StoreConformance
{
    protected override ObjectStore CreateStore() => new CachingStore(new DictStore(), new DictStore(capacityBytes: 200 * 1024));

    protected override long LargeObjectBytes => 8L << 20;
}

public sealed class BoundedDictStoreConformance : StoreConformance
{
    // Large enough that nothing the suite writes is evicted: this runs the LRU bookkeeping under every behaviour.
    protected override ObjectStore CreateStore() => new DictStore(capacityBytes: 128L << 20);
}

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

// Over children that, like S3, implement only the async side.

public sealed class FanoutOfAsyncOnlyStoresConformance : StoreConformance
{
    protected override ObjectStore CreateStore() => new FanoutStore(new AsyncOnlyStore(), new AsyncOnlyStore());

    protected override long LargeObjectBytes => 8L << 20;
}

public sealed class CachingStoreOverAsyncOnlyStoresConformance : StoreConformance
{
    protected override ObjectStore CreateStore() => new CachingStore(new AsyncOnlyStore(), new AsyncOnlyStore());

    protected override long LargeObjectBytes => 8L << 20;
}

public sealed class GzipStoreOverAsyncOnlyStoreConformance : StoreConformance
{
    protected override ObjectStore CreateStore() => new GzipStore(new AsyncOnlyStore());

    protected override long LargeObjectBytes => 8L << 20;
}
