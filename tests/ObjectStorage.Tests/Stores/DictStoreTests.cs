using ObjectStorage.Tests.Conformance;

namespace ObjectStorage.Tests.Stores;

public sealed class DictStoreConformance : StoreConformance
{
    protected override ObjectStore CreateStore() => new DictStore();
}
