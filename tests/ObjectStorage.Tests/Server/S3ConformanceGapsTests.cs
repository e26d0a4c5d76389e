using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using Amazon.S3;
using Amazon.S3.Model;
using ObjectStorage.Tests.Support;

namespace ObjectStorage.Tests.Server;

/// <summary>
/// What ceph/s3-tests asks of <c>objstore serve</c> beyond the basics, through the raw AWS SDK:
/// S3's ETags and checksums kept where the store keeps metadata, system headers, parts of a
/// multipart object, GetObjectAttributes, listing encoding and owners, and ACLs as S3 answers
/// them with ACLs disabled. What the server keeps is read back from the store as well.
/// </summary>
public sealed class S3ConformanceGapsTests() : SpooledServerTests(o => o with { MinPartSize = 1 })
{
    [Fact]
    public async Task A_put_whose_store_keeps_metadata_has_the_MD5_of_its_body_as_ETag_in_HEAD_listings_and_conditions()
    {
        var put = await Client.PutObjectAsync(new PutObjectRequest { BucketName = DictBucket, Key = "foo", ContentBody = "bar", UseChunkEncoding = true }, Ct);
        var head = await Client.GetObjectMetadataAsync(DictBucket, "foo", Ct);
        var listed = await Client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = DictBucket, Prefix = "foo" }, Ct);
        var notModified = await Assert.ThrowsAsync<AmazonS3Exception>(() =>
            Client.GetObjectAsync(new GetObjectRequest { BucketName = DictBucket, Key = "foo", EtagToNotMatch = "\"37b51d194a7513e45b56f6524f2d51f2\"" }, Ct));
        var filesystem = await Client.PutObjectAsync(new PutObjectRequest { BucketName = FilesystemBucket, Key = "foo", ContentBody = "bar", UseChunkEncoding = false }, Ct);

        Assert.Equal("\"37b51d194a7513e45b56f6524f2d51f2\"", put.ETag);
        Assert.Equal(put.ETag, head.ETag);
        Assert.Equal(put.ETag, Assert.Single(listed.S3Objects).ETag);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Equal("bar"u8.ToArray(), await Dict.GetAsync("foo", Ct));
        Assert.Contains("-", filesystem.ETag, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_kept_MD5_is_not_trusted_once_the_object_is_replaced_through_the_library()
    {
        await Client.PutObjectAsync(new PutObjectRequest { BucketName = DictBucket, Key = "stale", ContentBody = "bar" }, Ct);
        var kept = await Dict.StatAsync("stale", Ct);

        // A library user who carries the old metadata over to new bytes also carries the server's facts; their binding gives them away.
        await Dict.PutAsync("stale", "other bytes"u8.ToArray(), new PutOptions { Metadata = kept!.Metadata }, Ct);
        var head = await Client.GetObjectMetadataAsync(DictBucket, "stale", Ct);

        Assert.NotEqual("\"37b51d194a7513e45b56f6524f2d51f2\"", head.ETag);
        Assert.Contains("-", head.ETag, StringComparison.Ordinal);
    }

    [Fact]
    public async Task System_headers_are_kept_and_given_back_but_not_as_user_metadata()
    {
        var put = new PutObjectRequest { BucketName = DictBucket, Key = "page", ContentBody = "<p>" };
        put.Headers.CacheControl = "public, max-age=14400";
        put.Headers.ContentDisposition = "attachment; filename=page.html";
        put.Headers.ContentEncoding = "identity";
        put.Headers.Expires = new DateTime(2030, 1, 2, 3, 4, 5, DateTimeKind.Utc);
        put.Metadata["color"] = "blue";
        await Client.PutObjectAsync(put, Ct);

        var head = await Client.GetObjectMetadataAsync(DictBucket, "page", Ct);

        Assert.Equal("public, max-age=14400", head.Headers.CacheControl);
        Assert.Equal("attachment; filename=page.html", head.Headers.ContentDisposition);
        Assert.Equal("identity", head.Headers.ContentEncoding);
        Assert.Equal(new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero), DateTimeOffset.Parse(head.ExpiresString, CultureInfo.InvariantCulture));
        Assert.Equal(["x-amz-meta-color"], head.Metadata.Keys);
    }

    [Fact]
    public async Task The_exact_time_comes_back_in_x_amz_meta_mtime_only_when_the_put_gave_one()
    {
        var timed = new PutObjectRequest { BucketName = DictBucket, Key = "timed", ContentBody = "t" };
        timed.Metadata["mtime"] = "1700000000.1234567";
        await Client.PutObjectAsync(timed, Ct);
        await Client.PutObjectAsync(new PutObjectRequest { BucketName = DictBucket, Key = "stamped", ContentBody = "s" }, Ct);

        var timedHead = await Client.GetObjectMetadataAsync(DictBucket, "timed", Ct);
        var stampedHead = await Client.GetObjectMetadataAsync(DictBucket, "stamped", Ct);

        Assert.Equal("1700000000.1234567", timedHead.Metadata["mtime"]);
        Assert.Empty(stampedHead.Metadata.Keys);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123).AddTicks(4567), (await Dict.StatAsync("timed", Ct))!.LastModified);
    }

    [Fact]
    public async Task Metadata_names_the_server_reserves_are_refused()
    {
        var put = new PutObjectRequest { BucketName = DictBucket, Key = "forged", ContentBody = "x" };
        put.Metadata["objstore-s3"] = "etag=00000000000000000000000000000000;size=1;time=0";

        var refused = await Assert.ThrowsAsync<AmazonS3Exception>(() => Client.PutObjectAsync(put, Ct));

        Assert.Equal("InvalidArgument", refused.ErrorCode);
        Assert.False(await Dict.ExistsAsync("forged", Ct));
    }

    [Fact]
    public async Task A_checksum_given_at_the_put_comes_back_only_when_asked_for()
    {
        var body = new byte[1024];
        Array.Fill(body, (byte)'A');
        var sha256 = Convert.ToBase64String(SHA256.HashData(body));
        await Client.PutObjectAsync(new PutObjectRequest
        {
            BucketName = DictBucket, Key = "summed", InputStream = new MemoryStream(body), ChecksumAlgorithm = ChecksumAlgorithm.SHA256, ChecksumSHA256 = sha256,
        }, Ct);

        var plain = await Client.GetObjectMetadataAsync(DictBucket, "summed", Ct);
        var asked = await Client.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = DictBucket, Key = "summed", ChecksumMode = ChecksumMode.ENABLED }, Ct);
        var attributes = await Client.GetObjectAttributesAsync(new GetObjectAttributesRequest
        {
            BucketName = DictBucket, Key = "summed", ObjectAttributes = [ObjectAttributes.ETag, ObjectAttributes.Checksum, ObjectAttributes.ObjectSize, ObjectAttributes.ObjectParts],
        }, Ct);

        Assert.Null(plain.ChecksumSHA256);
        Assert.Equal(sha256, asked.ChecksumSHA256);
        Assert.Equal(sha256, attributes.Checksum.ChecksumSHA256);
        Assert.Equal(1024, attributes.ObjectSize);
        Assert.Equal(Convert.ToHexStringLower(MD5.HashData(body)), attributes.ETag);
        Assert.Null(attributes.ObjectParts);
    }

    [Fact]
    public async Task A_multipart_object_has_S3s_ETag_and_its_parts_are_read_by_number_and_listed_as_attributes()
    {
        byte[][] parts = [TestData.Bytes(300, seed: 1), TestData.Bytes(300, seed: 2), TestData.Bytes(100, seed: 3)];
        var uploadId = (await Client.InitiateMultipartUploadAsync(DictBucket, "joined", Ct)).UploadId;
        var etags = new List<PartETag>();
        for (int i = 0; i < parts.Length; i++)
        {
            var part = await Client.UploadPartAsync(new UploadPartRequest { BucketName = DictBucket, Key = "joined", UploadId = uploadId, PartNumber = i + 1, InputStream = new MemoryStream(parts[i]) }, Ct);
            etags.Add(new PartETag(i + 1, part.ETag));
        }
        var completed = await Client.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest { BucketName = DictBucket, Key = "joined", UploadId = uploadId, PartETags = etags }, Ct);

        using var second = await Client.GetObjectAsync(new GetObjectRequest { BucketName = DictBucket, Key = "joined", PartNumber = 2 }, Ct);
        var secondBytes = new MemoryStream();
        await second.ResponseStream.CopyToAsync(secondBytes, Ct);
        var beyond = await Assert.ThrowsAsync<AmazonS3Exception>(() => Client.GetObjectAsync(new GetObjectRequest { BucketName = DictBucket, Key = "joined", PartNumber = 4 }, Ct));
        var attributes = await Client.GetObjectAttributesAsync(new GetObjectAttributesRequest
        {
            BucketName = DictBucket, Key = "joined", ObjectAttributes = [ObjectAttributes.ETag, ObjectAttributes.ObjectParts], MaxParts = 1, PartNumberMarker = 1,
        }, Ct);

        var expectedETag = Convert.ToHexStringLower(MD5.HashData(parts.SelectMany(p => MD5.HashData(p)).ToArray())) + "-3";
        Assert.Equal($"\"{expectedETag}\"", completed.ETag);
        Assert.Equal(completed.ETag, second.ETag);
        Assert.Equal(3, second.PartsCount);
        Assert.Equal(parts[1], secondBytes.ToArray());
        Assert.Equal(("InvalidPart", HttpStatusCode.BadRequest), (beyond.ErrorCode, beyond.StatusCode));
        Assert.Equal(expectedETag, attributes.ETag);
        Assert.Equal(3, attributes.ObjectParts.TotalPartsCount);
        Assert.Equal((2, 300L), (attributes.ObjectParts.Parts.Single().PartNumber, attributes.ObjectParts.Parts.Single().Size));
        Assert.True(attributes.ObjectParts.IsTruncated);
        Assert.Equal(parts.SelectMany(p => p).ToArray(), await Dict.GetAsync("joined", Ct));
    }

    [Fact]
    public async Task A_multipart_upload_with_checksums_gets_S3s_composite_checksum_and_a_wrong_one_is_BadDigest()
    {
        byte[][] parts = [TestData.Bytes(500, seed: 4), TestData.Bytes(200, seed: 5)];
        var uploadId = (await Client.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = DictBucket, Key = "summed", ChecksumAlgorithm = ChecksumAlgorithm.SHA256 }, Ct)).UploadId;
        var etags = new List<PartETag>();
        for (int i = 0; i < parts.Length; i++)
        {
            var sum = Convert.ToBase64String(SHA256.HashData(parts[i]));
            var part = await Client.UploadPartAsync(new UploadPartRequest
            {
                BucketName = DictBucket, Key = "summed", UploadId = uploadId, PartNumber = i + 1, InputStream = new MemoryStream(parts[i]),
                ChecksumAlgorithm = ChecksumAlgorithm.SHA256, ChecksumSHA256 = sum,
            }, Ct);
            etags.Add(new PartETag { PartNumber = i + 1, ETag = part.ETag, ChecksumSHA256 = sum });
        }
        var composite = Convert.ToBase64String(SHA256.HashData(parts.SelectMany(p => SHA256.HashData(p)).ToArray())) + "-2";
        var wrong = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => Client.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
        {
            BucketName = DictBucket, Key = "summed", UploadId = uploadId, PartETags = etags, ChecksumSHA256 = Convert.ToBase64String(new byte[32]) + "-2",
        }, Ct));
        var completed = await Client.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
        {
            BucketName = DictBucket, Key = "summed", UploadId = uploadId, PartETags = etags, ChecksumSHA256 = composite,
        }, Ct);

        var head = await Client.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = DictBucket, Key = "summed", ChecksumMode = ChecksumMode.ENABLED }, Ct);
        var attributes = await Client.GetObjectAttributesAsync(new GetObjectAttributesRequest
        {
            BucketName = DictBucket, Key = "summed", ObjectAttributes = [ObjectAttributes.Checksum, ObjectAttributes.ObjectParts],
        }, Ct);

        Assert.Equal("BadDigest", wrong.ErrorCode);
        Assert.Equal(composite, completed.ChecksumSHA256);
        Assert.Equal(composite, head.ChecksumSHA256);
        Assert.Equal(composite, attributes.Checksum.ChecksumSHA256);
        Assert.Equal(etags.Select(e => e.ChecksumSHA256), attributes.ObjectParts.Parts.Select(p => p.ChecksumSHA256));
    }

    [Fact]
    public async Task A_PutObject_whose_If_Match_fails_is_PreconditionFailed_and_one_whose_condition_holds_is_NotImplemented()
    {
        var put = await Client.PutObjectAsync(new PutObjectRequest { BucketName = DictBucket, Key = "guarded", ContentBody = "bar" }, Ct);

        var failing = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() =>
            Client.PutObjectAsync(new PutObjectRequest { BucketName = DictBucket, Key = "guarded", ContentBody = "zar", IfMatch = "\"ABCORZ\"" }, Ct));
        var holding = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() =>
            Client.PutObjectAsync(new PutObjectRequest { BucketName = DictBucket, Key = "guarded", ContentBody = "zar", IfMatch = put.ETag }, Ct));
        var missing = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() =>
            Client.PutObjectAsync(new PutObjectRequest { BucketName = DictBucket, Key = "absent", ContentBody = "zar", IfMatch = put.ETag }, Ct));

        Assert.Equal(("PreconditionFailed", HttpStatusCode.PreconditionFailed), (failing.ErrorCode, failing.StatusCode));
        Assert.Equal(HttpStatusCode.NotImplemented, holding.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("bar"u8.ToArray(), await Dict.GetAsync("guarded", Ct));
        Assert.False(await Dict.ExistsAsync("absent", Ct));
    }

    [Fact]
    public async Task A_part_listed_twice_on_Complete_is_taken_from_its_last_listing()
    {
        var uploadId = (await Client.InitiateMultipartUploadAsync(DictBucket, "resent", Ct)).UploadId;
        var first = await Client.UploadPartAsync(new UploadPartRequest { BucketName = DictBucket, Key = "resent", UploadId = uploadId, PartNumber = 1, InputStream = new MemoryStream("BBBB"u8.ToArray()) }, Ct);
        var again = await Client.UploadPartAsync(new UploadPartRequest { BucketName = DictBucket, Key = "resent", UploadId = uploadId, PartNumber = 1, InputStream = new MemoryStream("AAAA"u8.ToArray()) }, Ct);

        // botocore sends the list as given; the .NET SDK sorts it, which keeps equal numbers in their order.
        await Client.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
        {
            BucketName = DictBucket, Key = "resent", UploadId = uploadId, PartETags = [new PartETag(1, first.ETag), new PartETag(1, again.ETag)],
        }, Ct);

        Assert.Equal("AAAA"u8.ToArray(), await Dict.GetAsync("resent", Ct));
    }

    [Fact]
    public async Task Url_encoded_listings_leave_slashes_and_V2_names_owners_only_when_asked()
    {
        foreach (var key in new[] { "foo+1/bar", "foo/bar/xyzzy", "quux ab/thud", "asdf+b" })
            await Dict.PutAsync(key, [1], Ct);

        var encoded = await Client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = DictBucket, Delimiter = "/", Encoding = EncodingType.Url }, Ct);
        var withoutOwner = await Client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = DictBucket }, Ct);
        var withOwner = await Client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = DictBucket, FetchOwner = true }, Ct);
        var v1 = await Client.ListObjectsAsync(new ListObjectsRequest { BucketName = DictBucket }, Ct);

        // The .NET SDK does not decode encoding-type=url: what it shows is what the server sent.
        Assert.Equal(["asdf%2Bb"], encoded.S3Objects.Select(o => o.Key));
        Assert.Equal(["foo%2B1/", "foo/", "quux%20ab/"], encoded.CommonPrefixes);
        Assert.All(withoutOwner.S3Objects, o => Assert.Null(o.Owner));
        Assert.All(withOwner.S3Objects, o => Assert.Equal(ServedStores.Credentials.AccessKeyId, o.Owner.Id));
        Assert.All(v1.S3Objects, o => Assert.Equal(ServedStores.Credentials.AccessKeyId, o.Owner.Id));
    }

    [Fact]
    public async Task ACLs_say_the_owner_has_full_control_and_only_that_may_be_put()
    {
        await Dict.PutAsync("owned", [1], Ct);

        var acl = await Client.GetObjectAclAsync(new GetObjectAclRequest { BucketName = DictBucket, Key = "owned" }, Ct);
        await Client.PutObjectAclAsync(new PutObjectAclRequest { BucketName = DictBucket, Key = "owned", ACL = S3CannedACL.Private }, Ct);
        var publicRead = await Assert.ThrowsAsync<AmazonS3Exception>(() =>
            Client.PutObjectAclAsync(new PutObjectAclRequest { BucketName = DictBucket, Key = "owned", ACL = S3CannedACL.PublicRead }, Ct));
        var missing = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => Client.GetObjectAclAsync(new GetObjectAclRequest { BucketName = DictBucket, Key = "missing" }, Ct));

        var grant = Assert.Single(acl.Grants);
        Assert.Equal((ServedStores.Credentials.AccessKeyId, "FULL_CONTROL"), (grant.Grantee.CanonicalUser, grant.Permission.Value));
        Assert.Equal(ServedStores.Credentials.AccessKeyId, acl.Owner.Id);
        Assert.Equal(("AccessControlListNotSupported", HttpStatusCode.BadRequest), (publicRead.ErrorCode, publicRead.StatusCode));
        Assert.Equal("NoSuchKey", missing.ErrorCode);
    }

    [Fact]
    public async Task An_unsigned_request_on_a_bucket_that_does_not_exist_is_NoSuchBucket_and_on_one_that_does_AccessDenied()
    {
        using var http = new HttpClient();

        using var missing = await http.DeleteAsync($"{Served.Endpoint}/no-such-bucket/foo", Ct);
        using var existing = await http.DeleteAsync($"{Served.Endpoint}/{DictBucket}/foo", Ct);

        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Contains("<Code>NoSuchBucket</Code>", await missing.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, existing.StatusCode);
    }

    [Fact]
    public async Task A_put_larger_than_the_memory_buffer_keeps_its_MD5_and_leaves_no_temporary_file()
    {
        var data = TestData.Bytes(3 * MiB, seed: 9);

        var put = await Client.PutObjectAsync(new PutObjectRequest { BucketName = DictBucket, Key = "large", InputStream = new MemoryStream(data), UseChunkEncoding = true }, Ct);

        Assert.Equal($"\"{Convert.ToHexStringLower(MD5.HashData(data))}\"", put.ETag);
        Assert.Equal(data, await Dict.GetAsync("large", Ct));
        Assert.Empty(Directory.EnumerateFiles(Spool.Path, "put-*"));
    }
}
