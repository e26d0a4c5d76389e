using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ObjectStorage.Server.Auth;
using ObjectStorage.Server.Multipart;
using ObjectStorage.Server.Operations;
using ObjectStorage.Server.Protocol;

namespace ObjectStorage.Server;

/// <summary>
/// The S3 endpoint: authenticates each request, routes it by method, bucket, key and
/// sub-resource to its operation, and turns every failure into S3's XML error body.
/// </summary>
internal sealed class S3Endpoint(S3ServerOptions options, string mountPrefix)
{
    private readonly RequestAuthenticator _authenticator = new(options);

    /// <summary>The buckets served now (CreateBucket and DeleteBucket change them).</summary>
    public ServedBuckets Buckets { get; } = new(options);

    /// <summary>The multipart uploads in progress, spooled to disk.</summary>
    public MultipartSpool Uploads { get; } = new(options.MultipartDirectory, options.AbandonedUploadAge, options.Clock);

    // Sub-resources S3 clients use that this server does not serve; answered 501, never mistaken for a listing or a put.
    private static readonly string[] UnsupportedSubresources =
        ["policy", "cors", "lifecycle", "tagging", "website", "logging", "notification", "replication", "encryption",
         "object-lock", "retention", "legal-hold", "torrent", "requestPayment", "accelerate", "analytics", "inventory", "metrics",
         "ownershipControls", "publicAccessBlock", "intelligent-tiering", "restore", "select"];

    public async Task HandleAsync(HttpContext http)
    {
        var requestId = Guid.NewGuid().ToString("N")[..16].ToUpperInvariant();
        http.Response.Headers["x-amz-request-id"] = requestId;
        S3Request? request = null;
        try
        {
            var rawTarget = http.Features.Get<IHttpRequestFeature>()?.RawTarget ?? http.Request.Path + http.Request.QueryString;
            request = S3Request.Parse(rawTarget, mountPrefix, HostBucket(http.Request.Host.Host));
            if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = null;
            // Stores that implement only the sync side read an upload with Stream.Read.
            if (http.Features.Get<IHttpBodyControlFeature>() is { } bodyControl) bodyControl.AllowSynchronousIO = true;
            // S3 answers an unsigned request on a bucket that does not exist with NoSuchBucket, before asking who may do what.
            if (RequestAuthenticator.IsUnsigned(http.Request, request) && request.Bucket is { } named && !Buckets.TryGet(named, out _)
                && !(request.Key is null && HttpMethods.IsPut(http.Request.Method)))
                throw S3Error.NoSuchBucket(named);
            var caller = _authenticator.Authenticate(http.Request, request);
            await DispatchAsync(new S3Call(http, request, caller, options, Buckets, Uploads)).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
        }
        catch (Exception exception)
        {
            var error = Translate(exception, request?.Key);
            if (error.Status == 500)
                http.RequestServices.GetService<ILoggerFactory>()?.CreateLogger("ObjectStorage.Server.S3Endpoint")
                    .LogError(exception, "S3 request {Method} {Path} failed (request id {RequestId})", http.Request.Method, request?.Path, requestId);
            if (http.Response.HasStarted)
            {
                // Part of an object is on its way; a truncated body is the only signal left, so the client sees a broken transfer.
                http.Abort();
                return;
            }
            http.Response.Clear();
            await DiscardUnreadBodyAsync(http).ConfigureAwait(false);
            http.Response.Headers["x-amz-request-id"] = requestId;
            foreach (var (name, value) in error.Headers) http.Response.Headers[name] = value;
            await S3Xml.WriteAsync(http.Response, error.Status, xml =>
            {
                xml.WriteStartElement("Error");
                xml.Element("Code", error.Code);
                xml.Element("Message", error.Message);
                xml.Element("BucketName", request?.Bucket);
                xml.Element("Key", error.Key ?? request?.Key);
                xml.Element("Resource", request?.Path);
                xml.Element("RequestId", requestId);
                xml.WriteEndElement();
            }).ConfigureAwait(false);
        }
    }

    // A request refused before its body was read (a failed precondition) leaves the body on the connection, where the
    // next request would start; a little is read and dropped, and beyond that the connection is closed after the answer.
    private static async Task DiscardUnreadBodyAsync(HttpContext http)
    {
        const int Limit = 1 << 20;
        try
        {
            var scratch = new byte[81920];
            long dropped = 0;
            int read;
            while (dropped <= Limit && (read = await http.Request.Body.ReadAsync(scratch, http.RequestAborted).ConfigureAwait(false)) > 0) dropped += read;
            if (dropped > Limit) http.Response.Headers.Connection = "close";
        }
        catch (Exception e) when (e is IOException or BadHttpRequestException or InvalidOperationException)
        {
            http.Response.Headers.Connection = "close";
        }
    }

    // "photos.localhost" is the bucket "photos" when "localhost" is a configured base; anything else is path-style.
    private string? HostBucket(string host)
    {
        foreach (var baseHost in options.VirtualHostBases)
            if (host.Length > baseHost.Length + 1 && host.EndsWith(baseHost, StringComparison.OrdinalIgnoreCase) && host[^(baseHost.Length + 1)] == '.')
                return host[..^(baseHost.Length + 1)];
        return null;
    }

    private static Task DispatchAsync(S3Call call)
    {
        var request = call.Request;
        var method = call.HttpRequest.Method;
        if (request.Bucket is null)
        {
            if (HttpMethods.IsGet(method)) return ListOperations.ListBucketsAsync(call);
            throw new S3Error(405, "MethodNotAllowed", $"{method} is not allowed on the service root.");
        }
        if (request.Has("acl")) return AclOperations.RunAsync(call);
        if (UnsupportedSubresources.FirstOrDefault(request.Has) is { } subresource)
            throw S3Error.NotImplemented($"The sub-resource '?{subresource}' ({method})");
        // Some SDKs add "x-id=CreateBucket"; any other parameter names a bucket setting this server does not keep.
        if (request.Key is null && HttpMethods.IsPut(method) && request.Query.All(p => p.Key == "x-id")) return BucketOperations.CreateAsync(call);
        _ = call.Store;
        if (request.Key is null)
        {
            if (HttpMethods.IsGet(method))
            {
                if (request.Has("location")) return WriteLocationAsync(call);
                if (request.Has("versioning")) return S3Xml.WriteAsync(call.Response, 200, xml => xml.WriteElementString("VersioningConfiguration", S3Xml.Namespace, ""));
                if (request.Has("uploads")) return MultipartOperations.ListUploadsAsync(call);
                if (request.Has("versions")) return ListOperations.ListObjectsAsync(call, ListKind.Versions);
                return ListOperations.ListObjectsAsync(call, request["list-type"] == "2" ? ListKind.V2 : ListKind.V1);
            }
            if (HttpMethods.IsHead(method))
            {
                call.Response.Headers["x-amz-bucket-region"] = call.Options.Region;
                return Task.CompletedTask;
            }
            if (HttpMethods.IsPost(method) && request.Has("delete")) return DeleteObjectsOperation.RunAsync(call);
            if (HttpMethods.IsPut(method)) throw S3Error.NotImplemented($"PUT on the bucket '{call.Bucket}' with '?{request.Query[0].Key}'");
            if (HttpMethods.IsDelete(method)) return BucketOperations.DeleteAsync(call);
            throw new S3Error(405, "MethodNotAllowed", $"{method} is not allowed on a bucket.");
        }
        var uploadId = request.Has("uploadId");
        if (HttpMethods.IsGet(method))
        {
            if (request.Has("attributes")) return ObjectOperations.AttributesAsync(call);
            return uploadId ? MultipartOperations.ListPartsAsync(call) : ObjectOperations.GetAsync(call, headOnly: false);
        }
        if (HttpMethods.IsHead(method)) return ObjectOperations.GetAsync(call, headOnly: true);
        if (HttpMethods.IsPut(method))
        {
            if (uploadId || request.Has("partNumber"))
                return uploadId ? MultipartOperations.UploadPartAsync(call) : throw S3Error.InvalidArgument("An UploadPart request needs an uploadId.", request.Key);
            return call.HttpRequest.Headers["x-amz-copy-source"].ToString() is { Length: > 0 } source
                ? ObjectOperations.CopyAsync(call, source)
                : ObjectOperations.PutAsync(call);
        }
        if (HttpMethods.IsPost(method))
        {
            if (request.Has("uploads")) return MultipartOperations.CreateAsync(call);
            if (uploadId) return MultipartOperations.CompleteAsync(call);
        }
        if (HttpMethods.IsDelete(method)) return uploadId ? MultipartOperations.AbortAsync(call) : ObjectOperations.DeleteAsync(call);
        throw new S3Error(405, "MethodNotAllowed", $"{method} is not allowed on an object.");
    }

    private static Task WriteLocationAsync(S3Call call) => S3Xml.WriteAsync(call.Response, 200, xml =>
        // us-east-1 is written as an empty constraint, as S3 does.
        xml.WriteElementString("LocationConstraint", S3Xml.Namespace, call.Options.Region == "us-east-1" ? "" : call.Options.Region));

    private static S3Error Translate(Exception exception, string? key)
    {
        for (var inner = exception; inner is not null; inner = inner.InnerException)
            if (inner is S3Error found) return found;
        return exception switch
        {
            KeyNotFoundException => S3Error.NoSuchKey(key ?? ""),
            InvalidKeyException e => S3Error.InvalidObjectName(e.Message, key),
            NotSupportedException e => new S3Error(501, "NotImplemented", e.Message, key),
            BadHttpRequestException e => new S3Error(400, "IncompleteBody", $"The request body could not be read: {e.Message}", key),
            ObjectStoreException e => new S3Error(500, "InternalError", e.Message, key),
            _ => new S3Error(500, "InternalError", "The server failed to serve the request; its log has the details.", key),
        };
    }
}
