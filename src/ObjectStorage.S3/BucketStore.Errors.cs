using System.Net;
using System.Net.Sockets;
using Amazon.Runtime;
using Amazon.S3;

namespace ObjectStorage;

// The one place where what the SDK and the network throw becomes what ObjectStore promises.
public sealed partial class BucketStore
{
    // A GET's NoSuchKey, or a HEAD's bodiless 404. Also a 404 whose error body the SDK could not
    // parse (it arrives as AmazonUnmarshallingException, not AmazonS3Exception): s3rver writes
    // non-ASCII keys into that body as HTML entities, which are not XML.
    private static bool IsMissingKey(Exception ex) =>
        ex is AmazonServiceException { StatusCode: HttpStatusCode.NotFound } service && service.ErrorCode is "NoSuchKey" or "NotFound" or null or "";

    /// <summary>
    /// The exception a caller sees for <paramref name="ex"/>, or null when <paramref name="ex"/>
    /// is already one of ours or the caller's own cancellation and must pass unchanged. A key the
    /// service refuses is an InvalidKeyException, as a medium's limit is on every store: AWS
    /// answers KeyTooLongError, MinIO XMinioInvalidObjectName, ObjectStorage.Server
    /// InvalidObjectName (a key its store's medium cannot hold).
    /// </summary>
    private Exception? Translate(Exception ex, string? key, string action, CancellationToken cancellationToken) => ex switch
    {
        OperationCanceledException when cancellationToken.IsCancellationRequested => null,
        ObjectStoreException or KeyNotFoundException or InvalidKeyException or NotSupportedException or ObjectDisposedException => null,
        OperationCanceledException or TimeoutException =>
            Failure(key, $"could not {action}: the request to {Endpoint} timed out", ex),
        AmazonServiceException { StatusCode: HttpStatusCode.BadRequest, ErrorCode: "KeyTooLongError" or "InvalidObjectName" or "XMinioInvalidObjectName" } refused
            when key is not null => new InvalidKeyException(key, $"{this} could not {action}: the service refused the key ({refused.ErrorCode}: {refused.Message})"),
        AmazonServiceException service => Failure(key, DescribeServiceError(service, action), ex),
        AmazonClientException or HttpRequestException or SocketException or IOException =>
            Failure(key, $"could not {action}: the service at {Endpoint} could not be reached or broke off ({Innermost(ex).Message})", ex),
        _ => Failure(key, $"could not {action}: {ex.Message}", ex),
    };

    private string DescribeServiceError(AmazonServiceException ex, string action)
    {
        var status = (int)ex.StatusCode;
        return ex.ErrorCode switch
        {
            "NoSuchBucket" => $"could not {action}: the bucket '{_bucket}' does not exist",
            "AccessDenied" or "AllAccessDisabled" => $"could not {action}: access denied to bucket '{_bucket}' (check the credentials' permissions)",
            "InvalidAccessKeyId" or "SignatureDoesNotMatch" or "ExpiredToken" or "InvalidToken" =>
                $"could not {action}: the service rejected the credentials ({ex.ErrorCode})",
            "SlowDown" or "ServiceUnavailable" or "InternalError" =>
                $"could not {action}: the service stayed unavailable through the SDK's retries ({ex.ErrorCode}, HTTP {status})",
            _ when ex.StatusCode == HttpStatusCode.Forbidden => $"could not {action}: access denied to bucket '{_bucket}' (HTTP 403)",
            _ => $"could not {action}: S3 error {(string.IsNullOrEmpty(ex.ErrorCode) ? "(no code)" : ex.ErrorCode)} (HTTP {status}): {ex.Message}",
        };
    }

    private string Endpoint => _client.Config.ServiceURL ?? _client.Config.RegionEndpoint?.SystemName ?? "the default endpoint";

    private static Exception Innermost(Exception ex)
    {
        while (ex.InnerException is not null) ex = ex.InnerException;
        return ex;
    }
}
