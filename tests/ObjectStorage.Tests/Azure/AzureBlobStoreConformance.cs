using ObjectStorage.Tests.Conformance;
using ObjectStorage.Tests.Support;

namespace ObjectStorage.Tests.Azure;

/// <summary>The conformance suite on Azurite; every test instance gets its own prefix in the shared container, and 1 MiB blocks.</summary>
public sealed class AzureBlobStoreConformance : StoreConformance
{
    private readonly string _prefix = AzuriteProcess.NewPrefix("conformance");

    protected override ObjectStore CreateStore() =>
        new AzureBlobStore(AzuriteProcess.ContainerClient(), new AzureBlobStoreOptions { ContainerName = AzuriteProcess.Container, Prefix = _prefix, BlockSize = 1 << 20 });

    // Azure's own rule, which the store enforces (tested on its own in AzureBlobStoreTests), not a gap of the emulator.
    protected override string? CannotHold(string key) => AzureBlobStore.FindAzureLimit(key, key);

    // Every Put Blob names the blob type; a SAS URL cannot carry the header (docs/stores/azure.md).
    protected override IReadOnlyList<(string Name, string Value)> PresignedPutHeaders => [("x-ms-blob-type", "BlockBlob")];

    // Azure caps blob names at 1024 characters, prefix included.
    protected override int MaxKeyBytes => ObjectKey.MaxBytes - (_prefix.Length + 1);

    // Twenty 1 MiB blocks and a short one.
    protected override long LargeObjectBytes => (20L << 20) + 12345;
}
