using ObjectStorage.Tests.Conformance;

namespace ObjectStorage.Tests.Stores;

public sealed class SqliteStoreConformance : StoreConformance
{
    protected override ObjectStore CreateStore() => new SqliteStore(Path.Combine(NewTempDirectory("sqlite"), "objects.db"));
}

public sealed class SqliteMemoryStoreConformance : StoreConformance
{
    protected override ObjectStore CreateStore() => new SqliteStore(":memory:");
}
