using Microsoft.AspNetCore.Http;
using ObjectStorage.Server.Auth;
using ObjectStorage.Server.Multipart;
using ObjectStorage.Server.Protocol;

namespace ObjectStorage.Server;

/// <summary>One authenticated request on its way to an operation: the HTTP exchange, what it addresses and who sent it.</summary>
internal sealed record S3Call(HttpContext Http, S3Request Request, Caller Caller, S3ServerOptions Options, ServedBuckets Buckets, MultipartSpool Uploads)
{
    public HttpRequest HttpRequest => Http.Request;

    public HttpResponse Response => Http.Response;

    public CancellationToken Aborted => Http.RequestAborted;

    public string Bucket => Request.Bucket ?? throw new InvalidOperationException("The request names no bucket.");

    public string Key => Request.Key ?? throw new InvalidOperationException("The request names no key.");

    /// <summary>The store behind the request's bucket, or NoSuchBucket.</summary>
    public ObjectStore Store => StoreOf(Bucket);

    public ObjectStore StoreOf(string bucket) =>
        Buckets.TryGet(bucket, out var store) ? store : throw S3Error.NoSuchBucket(bucket);

    /// <summary>The request's key, refused with S3's code when no store could hold it.</summary>
    public string ValidKey() => ValidKey(Key);

    public static string ValidKey(string key)
    {
        if (ObjectKey.FindBrokenRule(key, isPrefix: false) is { } rule)
            throw ObjectKey.Utf8Length(key) > ObjectKey.MaxBytes
                ? new S3Error(400, "KeyTooLongError", $"The key is longer than {ObjectKey.MaxBytes} bytes of UTF-8.", key)
                : S3Error.InvalidObjectName($"The key {ObjectKey.Describe(key)} is not a key: {rule}.", key);
        return key;
    }

    /// <summary>Refuses a write by an anonymous caller or to a store that cannot write.</summary>
    public ObjectStore WritableStore(bool delete = false)
    {
        if (Caller.IsAnonymous) throw S3Error.AccessDenied("Anonymous requests may only read.");
        var store = Store;
        if (delete ? !store.CanDelete : !store.CanWrite)
            throw S3Error.AccessDenied($"The bucket '{Bucket}' is served by {store}, which cannot {(delete ? "delete" : "write")}.");
        return store;
    }
}
