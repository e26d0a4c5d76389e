using Azure.Storage.Sas;

namespace ObjectStorage;

// Presigned URLs: shared access signatures, signed by the client with the account key alone.
public sealed partial class AzureBlobStore
{
    /// <summary>
    /// True where the client holds the account's shared key (a connection string with an
    /// AccountKey): only then can it sign SAS URLs. A PUT URL needs the header
    /// <c>x-ms-blob-type: BlockBlob</c> on the request, as every Put Blob does.
    /// </summary>
    public override bool CanPresign => _container.CanGenerateSasUri;

    /// <inheritdoc/>
    protected override Uri PresignCore(string key, HttpMethod method, TimeSpan expiresIn)
    {
        var permissions = method == HttpMethod.Put ? BlobSasPermissions.Create | BlobSasPermissions.Write : BlobSasPermissions.Read;
        try
        {
            return Blob(key).GenerateSasUri(permissions, DateTimeOffset.UtcNow + expiresIn);
        }
        catch (Exception ex) when (Translate(ex, key, "presign", CancellationToken.None) is { } error)
        {
            throw error;
        }
    }
}
