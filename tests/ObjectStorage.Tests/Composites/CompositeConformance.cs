using System.Text.RegularExpressions;
using ObjectStorage.Tests.Support;
using ObjectStorage.Tests.Conformance;

namespace ObjectStorage.Tests.Composites;

// Every composite runs the whole conformance suite (wrappers: Wrappers/WrapperConformance.cs). A variant over another medium
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


public sealed class RoutingStoreConformance : StoreConformance
{
    // Three stores, so that every listing of the suite is a merge: keys starting a-m, keys with a digit, the rest.
    protected override ObjectStore CreateStore() => new RoutingStore(
        [new StoreRoute(new Regex("[a-m]"), new DictStore()), new StoreRoute(new Regex(@".*\d"), new DictStore())],
        new DictStore());

    protected override long LargeObjectBytes => 8L << 20;
}

public sealed class RoutingStoreOverAsyncOnlyStoresConformance : StoreConformance
{
    protected override ObjectStore CreateStore() =>
        new RoutingStore([new StoreRoute(new Regex("[a-m]"), new AsyncOnlyStore())], new AsyncOnlyStore());

    protected override long LargeObjectBytes => 8L << 20;
}
