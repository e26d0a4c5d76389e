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

public sealed class KeyValidatingStoreConformance : StoreConformance
{
    // Accepts every key the contract allows, so that the whole suite runs through the check.
    protected override ObjectStore CreateStore() => new KeyValidatingStore(new DictStore(), static key => key.Length > 0, "is not empty");

    protected override long LargeObjectBytes => 8L << 20;
}

public sealed class HashPrefixStoreConformance : StoreConformance
{
    protected override ObjectStore CreateStore() => new HashPrefixStore(new DictStore());

    protected override int MaxKeyBytes => ObjectKey.MaxBytes - 9;

    protected override long LargeObjectBytes => 8L << 20;
}

public sealed class HashPrefixStoreOverAsyncOnlyStoreConformance : StoreConformance
{
    protected override ObjectStore CreateStore() => new HashPrefixStore(new AsyncOnlyStore(), hashLength: 4, separator: "-");

    protected override int MaxKeyBytes => ObjectKey.MaxBytes - 5;

    protected override long LargeObjectBytes => 8L << 20;
}

/// <summary>Every write of the suite goes through the write-only store; the suite reads what it wrote through a read-only view of the same medium.</summary>
public sealed class WriteOnlyStoreConformance : StoreConformance
{
    private readonly DictStore _medium = new();
    private WriteOnlyStore? _writer;

    protected override ObjectStore CreateStore()
    {
        _writer = new WriteOnlyStore(_medium, leaveOpen: true);
        return new ReadOnlyStore(_medium);
    }

    protected override ObjectStore Writer => _writer!;

    protected override long LargeObjectBytes => 8L << 20;
}

public sealed class NotifyingStoreConformance : StoreConformance
{
    protected override ObjectStore CreateStore()
    {
        var store = new NotifyingStore(new DictStore());
        store.OnChange(static _ => { });
        store.OnChange(static (_, _) => ValueTask.CompletedTask);
        return store;
    }

    protected override long LargeObjectBytes => 8L << 20;
}
