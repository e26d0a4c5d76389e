using Microsoft.AspNetCore.Http;
using ObjectStorage.Server.Protocol;

namespace ObjectStorage.Server.Operations;

/// <summary>CreateBucket and DeleteBucket, where the server's options let clients make and remove stores.</summary>
internal static class BucketOperations
{
    public static async Task CreateAsync(S3Call call)
    {
        if (call.Caller.IsAnonymous) throw S3Error.AccessDenied("Anonymous requests may not create buckets.");
        // The body may carry a CreateBucketConfiguration with a location; every bucket here is in the server's one region.
        await using (var body = RequestBody.Open(call.HttpRequest, call.Caller, key: null))
            await ObjectOperations.ReadLimitedAsync(body, 64 << 10, key: null, call.Aborted,
                () => S3Error.MalformedXml("The CreateBucketConfiguration document is larger than 64 KiB.")).ConfigureAwait(false);
        call.Buckets.Create(call.Bucket, call.Caller.AccessKeyId);
        call.Response.Headers.Location = "/" + call.Bucket;
        call.Response.StatusCode = StatusCodes.Status200OK;
    }

    public static async Task DeleteAsync(S3Call call)
    {
        if (call.Caller.IsAnonymous) throw S3Error.AccessDenied("Anonymous requests may not delete buckets.");
        await call.Buckets.DeleteAsync(call.Bucket, call.Uploads, call.Aborted).ConfigureAwait(false);
        call.Response.StatusCode = StatusCodes.Status204NoContent;
    }
}
