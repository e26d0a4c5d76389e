using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Amazon.S3;
using Amazon.S3.Model;
using ObjectStorage.Tests.Support;

namespace ObjectStorage.Tests.Server;

/// <summary>
/// Multipart uploads through <c>objstore serve</c> with the raw AWS SDK: parts spooled to a real
/// directory, checked on Complete, streamed into the store; what is stored is read from the store.
/// </summary>
public sealed class MultipartTests() : SpooledServerTests()
{
    [Fact]
    public async Task Parts_are_listed_with_their_MD5_and_Complete_stores_them_joined_empties_theSpool_and_answers_a_repeat()
    {
        byte[][] parts = [TestData.Bytes(5 * MiB, seed: 1), TestData.Bytes(5 * MiB + 3, seed: 2), TestData.Bytes(1000, seed: 3)];
        var uploadId = await CreateAsync(FilesystemBucket, "big/joined.bin");

        var etags = new List<PartETag>();
        for (int i = 0; i < parts.Length; i++) etags.Add(await UploadAsync(FilesystemBucket, "big/joined.bin", uploadId, i + 1, parts[i]));
        var listed = await Client.ListPartsAsync(new ListPartsRequest { BucketName = FilesystemBucket, Key = "big/joined.bin", UploadId = uploadId }, Ct);
        var uploads = await Client.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = FilesystemBucket }, Ct);
        Assert.False(await Filesystem.ExistsAsync("big/joined.bin", Ct));
        var completed = await Client.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
        {
            BucketName = FilesystemBucket, Key = "big/joined.bin", UploadId = uploadId, PartETags = etags,
        }, Ct);

        Assert.Equal(parts.Select(p => "\"" + Convert.ToHexStringLower(MD5.HashData(p)) + "\""), listed.Parts.Select(p => p.ETag));
        Assert.Equal(parts.Select(p => (long)p.Length), listed.Parts.Select(p => p.Size ?? -1));
        Assert.Equal([uploadId], uploads.MultipartUploads.Select(u => u.UploadId));
        Assert.Equal(parts.SelectMany(p => p).ToArray(), await Filesystem.GetAsync("big/joined.bin", Ct));
        var head = await Client.GetObjectMetadataAsync(FilesystemBucket, "big/joined.bin", Ct);
        var again = await Client.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
        {
            BucketName = FilesystemBucket, Key = "big/joined.bin", UploadId = uploadId, PartETags = etags,
        }, Ct);
        Assert.Equal(head.ETag, completed.ETag);
        Assert.Equal(head.ETag, again.ETag);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Spool.Path));
    }

    [Fact]
    public async Task A_part_uploaded_again_replaces_the_earlier_one()
    {
        var uploadId = await CreateAsync(DictBucket, "replaced");
        await UploadAsync(DictBucket, "replaced", uploadId, 1, "first"u8.ToArray());
        var second = await UploadAsync(DictBucket, "replaced", uploadId, 1, "second"u8.ToArray());

        await Client.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest { BucketName = DictBucket, Key = "replaced", UploadId = uploadId, PartETags = [second] }, Ct);

        Assert.Equal("second"u8.ToArray(), await Dict.GetAsync("replaced", Ct));
    }

    [Fact]
    public async Task Complete_refuses_a_small_middle_part_and_a_wrong_or_missing_ETag_and_stores_nothing()
    {
        var uploadId = await CreateAsync(DictBucket, "refused");
        var small = await UploadAsync(DictBucket, "refused", uploadId, 1, TestData.Bytes(100));
        var last = await UploadAsync(DictBucket, "refused", uploadId, 2, TestData.Bytes(100, seed: 2));
        Task<CompleteMultipartUploadResponse> Complete(params PartETag[] list) => Client.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
        {
            BucketName = DictBucket, Key = "refused", UploadId = uploadId, PartETags = [.. list],
        }, Ct);

        var tooSmall = await Assert.ThrowsAsync<AmazonS3Exception>(() => Complete(small, last));
        var wrongTag = await Assert.ThrowsAsync<AmazonS3Exception>(() => Complete(new PartETag(1, "\"00000000000000000000000000000000\"")));
        var missing = await Assert.ThrowsAsync<AmazonS3Exception>(() => Complete(new PartETag(3, small.ETag)));

        Assert.Equal(("EntityTooSmall", HttpStatusCode.BadRequest), (tooSmall.ErrorCode, tooSmall.StatusCode));
        Assert.Equal("InvalidPart", wrongTag.ErrorCode);
        Assert.Equal("InvalidPart", missing.ErrorCode);
        Assert.False(await Dict.ExistsAsync("refused", Ct));
        // The upload is still there to be completed properly.
        await Complete(last);
        Assert.Equal(TestData.Bytes(100, seed: 2), await Dict.GetAsync("refused", Ct));
    }

    [Fact]
    public async Task Abort_removes_theSpooled_parts_and_the_upload_is_then_unknown()
    {
        var uploadId = await CreateAsync(DictBucket, "aborted");
        await UploadAsync(DictBucket, "aborted", uploadId, 1, TestData.Bytes(1000));
        Assert.NotEmpty(Directory.EnumerateFiles(Spool.Path, "*", SearchOption.AllDirectories));

        await Client.AbortMultipartUploadAsync(DictBucket, "aborted", uploadId, Ct);
        var late = await Assert.ThrowsAsync<AmazonS3Exception>(() => UploadAsync(DictBucket, "aborted", uploadId, 2, TestData.Bytes(10)));
        var listed = await Assert.ThrowsAsync<AmazonS3Exception>(() => Client.ListPartsAsync(new ListPartsRequest { BucketName = DictBucket, Key = "aborted", UploadId = uploadId }, Ct));

        Assert.Empty(Directory.EnumerateFileSystemEntries(Spool.Path));
        Assert.Equal(("NoSuchUpload", HttpStatusCode.NotFound), (late.ErrorCode, late.StatusCode));
        Assert.Equal("NoSuchUpload", listed.ErrorCode);
        Assert.False(await Dict.ExistsAsync("aborted", Ct));
    }

    [Fact]
    public async Task UploadPartCopy_copies_a_byte_range_of_an_object_in_another_bucket_and_a_range_beyond_it_is_InvalidRange()
    {
        var source = TestData.Bytes(6 * MiB, seed: 7);
        await Filesystem.PutAsync("source.bin", source, Ct);
        var uploadId = await CreateAsync(DictBucket, "assembled");

        var first = await Client.CopyPartAsync(new CopyPartRequest
        {
            SourceBucket = FilesystemBucket, SourceKey = "source.bin", DestinationBucket = DictBucket, DestinationKey = "assembled",
            UploadId = uploadId, PartNumber = 1, FirstByte = 0, LastByte = 5 * MiB,
        }, Ct);
        var second = await Client.CopyPartAsync(new CopyPartRequest
        {
            SourceBucket = FilesystemBucket, SourceKey = "source.bin", DestinationBucket = DictBucket, DestinationKey = "assembled",
            UploadId = uploadId, PartNumber = 2, FirstByte = 100, LastByte = 199,
        }, Ct);
        var beyond = await Assert.ThrowsAsync<AmazonS3Exception>(() => Client.CopyPartAsync(new CopyPartRequest
        {
            SourceBucket = FilesystemBucket, SourceKey = "source.bin", DestinationBucket = DictBucket, DestinationKey = "assembled",
            UploadId = uploadId, PartNumber = 3, FirstByte = 0, LastByte = 6 * MiB,
        }, Ct));
        await Client.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
        {
            BucketName = DictBucket, Key = "assembled", UploadId = uploadId, PartETags = [new PartETag(1, first.ETag), new PartETag(2, second.ETag)],
        }, Ct);

        Assert.Equal(("InvalidRange", HttpStatusCode.RequestedRangeNotSatisfiable), (beyond.ErrorCode, beyond.StatusCode));
        byte[] expected = [.. source[..(5 * MiB + 1)], .. source[100..200]];
        Assert.Equal(expected, await Dict.GetAsync("assembled", Ct));
    }

    [Fact]
    public async Task ListMultipartUploads_pages_by_key_and_upload_and_rolls_up_at_the_delimiter()
    {
        string[] keys = ["a/1", "a/2", "b", "b", "c"];
        var ids = new List<string>();
        foreach (var key in keys) ids.Add(await CreateAsync(DictBucket, key));

        var seen = new List<(string, string)>();
        string? keyMarker = null, idMarker = null;
        for (int page = 0; page < 10; page++)
        {
            var answer = await Client.ListMultipartUploadsAsync(new ListMultipartUploadsRequest
            {
                BucketName = DictBucket, MaxUploads = 2, KeyMarker = keyMarker, UploadIdMarker = idMarker,
            }, Ct);
            seen.AddRange(answer.MultipartUploads.Select(u => (u.Key, u.UploadId)));
            if (answer.IsTruncated != true) break;
            (keyMarker, idMarker) = (answer.NextKeyMarker, answer.NextUploadIdMarker);
        }
        var rolled = await Client.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = DictBucket, Delimiter = "/" }, Ct);

        Assert.Equal(keys, seen.Select(s => s.Item1));
        Assert.Equal(ids.ToHashSet(), seen.Select(s => s.Item2).ToHashSet());
        Assert.Equal(["a/"], rolled.CommonPrefixes);
        Assert.Equal(["b", "b", "c"], rolled.MultipartUploads.Select(u => u.Key));
    }

    [Fact]
    public async Task A_server_started_on_aSpool_removes_abandoned_uploads_and_temporary_parts_and_keeps_recent_ones()
    {
        using var spool = new TempDirectory("stale-spool");
        var abandoned = Path.Combine(spool.Path, "0123456789abcdef0123456789abcdef");
        var recent = Path.Combine(spool.Path, "fedcba9876543210fedcba9876543210");
        Directory.CreateDirectory(abandoned);
        Directory.CreateDirectory(recent);
        await File.WriteAllTextAsync(Path.Combine(abandoned, "upload.json"), Description("old", DateTimeOffset.UtcNow.AddDays(-8)), Ct);
        await File.WriteAllTextAsync(Path.Combine(recent, "upload.json"), Description("new", DateTimeOffset.UtcNow.AddHours(-1)), Ct);
        await File.WriteAllTextAsync(Path.Combine(recent, "00001.deadbeef.tmp"), "half a part", Ct);

        await using var served = await ServedStores.StartAsync(["dict"], o => o with { MultipartDirectory = spool.Path });
        using var client = served.CreateClient();
        var uploads = await client.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = DictBucket }, Ct);

        Assert.False(Directory.Exists(abandoned));
        Assert.Equal(["upload.json"], Directory.EnumerateFiles(recent).Select(Path.GetFileName));
        Assert.Equal(["new"], uploads.MultipartUploads.Select(u => u.Key));
    }

    [Fact]
    public async Task A_server_without_aSpool_directory_removes_its_private_one_when_it_stops()
    {
        var served = await ServedStores.StartAsync(["dict"]);
        string uploadId;
        using (var client = served.CreateClient())
        {
            uploadId = (await client.InitiateMultipartUploadAsync(DictBucket, "private", Ct)).UploadId;
            await client.UploadPartAsync(new UploadPartRequest
            {
                BucketName = DictBucket, Key = "private", UploadId = uploadId, PartNumber = 1, InputStream = new MemoryStream(TestData.Bytes(10)),
            }, Ct);
        }
        var folder = Directory.EnumerateDirectories(Path.GetTempPath(), $"objstore-serve-multipart-{Environment.ProcessId}-*")
            .Single(d => Directory.Exists(Path.Combine(d, uploadId)));

        await served.DisposeAsync();

        Assert.False(Directory.Exists(folder));
    }

    private static string Description(string key, DateTimeOffset initiated) => JsonSerializer.Serialize(new
    {
        Id = "x", Bucket = DictBucket, Key = key, Initiator = "someone", Initiated = initiated, ContentType = (string?)null, Metadata = new Dictionary<string, string>(),
    });

    private async Task<string> CreateAsync(string bucket, string key) =>
        (await Client.InitiateMultipartUploadAsync(bucket, key, Ct)).UploadId;

    private async Task<PartETag> UploadAsync(string bucket, string key, string uploadId, int number, byte[] data)
    {
        var answer = await Client.UploadPartAsync(new UploadPartRequest
        {
            BucketName = bucket, Key = key, UploadId = uploadId, PartNumber = number, InputStream = new MemoryStream(data),
        }, Ct);
        return new PartETag(number, answer.ETag);
    }
}
