using ObjectStorage.Tests.Conformance;

namespace ObjectStorage.Tests.Stores;

public sealed class HashdirStoreConformance : StoreConformance
{
    protected override ObjectStore CreateStore() => new HashdirStore(NewTempDirectory("hashdir"));
}
