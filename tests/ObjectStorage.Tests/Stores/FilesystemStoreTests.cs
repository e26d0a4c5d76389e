using ObjectStorage.Tests.Conformance;

namespace ObjectStorage.Tests.Stores;

public sealed class FilesystemStoreConformance : StoreConformance
{
    protected override ObjectStore CreateStore() => new FilesystemStore(NewTempDirectory("fs"));

    protected override bool KeysMayNestUnderKeys => false;
}
