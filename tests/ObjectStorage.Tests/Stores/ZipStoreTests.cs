using ObjectStorage.Tests.Conformance;
using ObjectStorage.Tests.Support;

namespace ObjectStorage.Tests.Stores;

/// <summary>The conformance suite on a new archive.</summary>
public sealed class ZipStoreCreateConformance : StoreConformance
{
    protected override ObjectStore CreateStore() =>
        new ZipStore(Path.Combine(NewTempDirectory("zip-create"), "store.zip"), new ZipStoreOptions { Mode = ZipStoreMode.Create });
}

/// <summary>
/// The conformance suite on an existing archive opened for update: it holds a directory entry
/// (not an object) and one object that the session deletes first, so the store starts empty
/// with a pending delete.
/// </summary>
public sealed class ZipStoreUpdateConformance : StoreConformance
{
    protected override ObjectStore CreateStore()
    {
        var path = ZipFixtures.Write(Path.Combine(NewTempDirectory("zip-update"), "store.zip"), ("dir/", null), ("seed", [1, 2, 3]));
        var store = new ZipStore(path, new ZipStoreOptions { Mode = ZipStoreMode.Update });
        store.Delete("seed");
        return store;
    }
}

/// <summary>
/// The conformance suite on an empty archive opened read-only: the read side runs, the write
/// side is skipped by capability. Reading seeded archives is covered in <see cref="ZipStoreTests"/>.
/// </summary>
public sealed class ZipStoreReadConformance : StoreConformance
{
    protected override ObjectStore CreateStore() =>
        new ZipStore(ZipFixtures.Empty(Path.Combine(NewTempDirectory("zip-read"), "store.zip")), new ZipStoreOptions { Mode = ZipStoreMode.Read });
}
