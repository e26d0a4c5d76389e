using Amazon.S3;
using Amazon.S3.Model;
using ObjectStorage.Tests.Support;

namespace ObjectStorage.Tests.Server;

/// <summary>Content-Type and x-amz-meta-* through <c>objstore serve</c>, kept where the store keeps metadata (DictStore) and named as dropped where it does not.</summary>
public sealed class MetadataServeTests : IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private ServedStores _served = null!;
    private AmazonS3Client _client = null!;

    private static string DictBucket => ServedStores.BucketOf("dict");

    private ObjectStore Dict => _served.Buckets[DictBucket];

    public async ValueTask InitializeAsync()
    {
        _served = await ServedStores.StartAsync(["dict", "filesystem"]);
        _client = _served.CreateClient();
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _served.DisposeAsync();
    }

    [Fact]
    public async Task Put_keeps_content_type_and_user_metadata_and_HEAD_and_GET_give_them_back()
    {
        var put = new PutObjectRequest { BucketName = DictBucket, Key = "doc", ContentBody = "hello", ContentType = "text/plain; charset=utf-8" };
        put.Metadata["Color"] = "blue";
        await _client.PutObjectAsync(put, Ct);

        var head = await _client.GetObjectMetadataAsync(DictBucket, "doc", Ct);
        using var get = await _client.GetObjectAsync(DictBucket, "doc", Ct);
        var stored = await Dict.StatAsync("doc", Ct);

        Assert.Equal("text/plain; charset=utf-8", head.Headers.ContentType);
        Assert.Equal("blue", head.Metadata["color"]);
        Assert.Equal("blue", get.Metadata["color"]);
        Assert.Equal("text/plain; charset=utf-8", stored!.ContentType);
        Assert.Equal("blue", stored.Metadata!["color"]);
    }

    [Fact]
    public async Task CopyObject_takes_the_source_metadata_with_COPY_and_the_request_metadata_with_REPLACE()
    {
        await Dict.PutAsync("source", "bytes"u8.ToArray(), new PutOptions { ContentType = "image/png", Metadata = new Dictionary<string, string> { ["origin"] = "camera" } }, Ct);

        await _client.CopyObjectAsync(new CopyObjectRequest { SourceBucket = DictBucket, SourceKey = "source", DestinationBucket = DictBucket, DestinationKey = "copied" }, Ct);
        var replace = new CopyObjectRequest
        {
            SourceBucket = DictBucket, SourceKey = "source", DestinationBucket = DictBucket, DestinationKey = "source",
            MetadataDirective = S3MetadataDirective.REPLACE, ContentType = "image/webp",
        };
        replace.Metadata["origin"] = "edited";
        await _client.CopyObjectAsync(replace, Ct);

        var copied = await Dict.StatAsync("copied", Ct);
        var replaced = await Dict.StatAsync("source", Ct);
        Assert.Equal(("image/png", "camera"), (copied!.ContentType, copied.Metadata!["origin"]));
        Assert.Equal(("image/webp", "edited"), (replaced!.ContentType, replaced.Metadata!["origin"]));
        Assert.Equal("bytes"u8.ToArray(), await Dict.GetAsync("source", Ct));
    }

    [Fact]
    public async Task A_multipart_object_gets_the_metadata_of_its_CreateMultipartUpload()
    {
        var create = new InitiateMultipartUploadRequest { BucketName = DictBucket, Key = "parts", ContentType = "application/x-tar" };
        create.Metadata["kind"] = "archive";
        var uploadId = (await _client.InitiateMultipartUploadAsync(create, Ct)).UploadId;
        var part = await _client.UploadPartAsync(new UploadPartRequest { BucketName = DictBucket, Key = "parts", UploadId = uploadId, PartNumber = 1, InputStream = new MemoryStream(TestData.Bytes(10)) }, Ct);
        await _client.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest { BucketName = DictBucket, Key = "parts", UploadId = uploadId, PartETags = [new PartETag(1, part.ETag)] }, Ct);

        var stored = await Dict.StatAsync("parts", Ct);
        Assert.Equal(("application/x-tar", "archive"), (stored!.ContentType, stored.Metadata!["kind"]));
    }

    [Fact]
    public async Task A_store_that_keeps_no_metadata_stores_the_bytes_and_serves_the_default_content_type()
    {
        var put = new PutObjectRequest { BucketName = ServedStores.BucketOf("filesystem"), Key = "plain", ContentBody = "x", ContentType = "text/plain", UseChunkEncoding = false };
        put.Metadata["color"] = "blue";

        await _client.PutObjectAsync(put, Ct);
        var head = await _client.GetObjectMetadataAsync(ServedStores.BucketOf("filesystem"), "plain", Ct);

        // The x-objstore-metadata-dropped header is checked through boto3, which shows a response's headers (Boto3ServeTests).
        Assert.Equal("x"u8.ToArray(), await _served.Buckets[ServedStores.BucketOf("filesystem")].GetAsync("plain", Ct));
        Assert.Equal("binary/octet-stream", head.Headers.ContentType);
        // Only the time, which the served FilesystemStore keeps: the exact time rides in x-amz-meta-mtime.
        Assert.Equal(["x-amz-meta-mtime"], head.Metadata.Keys);
    }
}
