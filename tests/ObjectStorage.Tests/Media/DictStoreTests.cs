using ObjectStorage.Tests.Conformance;

namespace ObjectStorage.Tests.Media;

public sealed class DictStoreConformance : StoreConformance
{
    protected override ObjectStore CreateStore() => new DictStore();
}
