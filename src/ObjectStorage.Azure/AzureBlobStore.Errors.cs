using System.Net.Sockets;
using Azure;

namespace ObjectStorage;

// The one place where what the SDK and the network throw becomes what ObjectStore promises.
public sealed partial class AzureBlobStore
{
    // A missing blob; a missing container is an error of its own (ContainerNotFound).
    private static bool IsMissingBlob(RequestFailedException ex) => ex.Status == 404 && ex.ErrorCode is "BlobNotFound" or null or "";

    /// <summary>
    /// The exception a caller sees for <paramref name="ex"/>, or null when it is already one of ours
    /// or the caller's own cancellation and must pass unchanged. A name the service refuses is an
    /// <see cref="InvalidKeyException"/>, as a medium's limit is on every store.
    /// </summary>
    private Exception? Translate(Exception ex, string? key, string action, CancellationToken cancellationToken) => ex switch
    {
        OperationCanceledException when cancellationToken.IsCancellationRequested => null,
        ObjectStoreException or KeyNotFoundException or InvalidKeyException or NotSupportedException or ObjectDisposedException => null,
        OperationCanceledException or TimeoutException => Failure(key, $"could not {action}: the request to {_container.Uri} timed out", ex),
        RequestFailedException { Status: 400, ErrorCode: "InvalidResourceName" or "OutOfRangeInput" or "InvalidUri" } refused when key is not null =>
            new InvalidKeyException(key, $"{this} could not {action}: Azure refused the blob name ({refused.ErrorCode}: {FirstLine(refused.Message)})"),
        RequestFailedException { Status: 0 } or HttpRequestException or SocketException or IOException =>
            Failure(key, $"could not {action}: the service at {_container.Uri} could not be reached or broke off ({Innermost(ex).Message})", ex),
        RequestFailedException service => Failure(key, Describe(service, action), ex),
        _ => Failure(key, $"could not {action}: {ex.Message}", ex),
    };

    private string Describe(RequestFailedException ex, string action) => ex.ErrorCode switch
    {
        "ContainerNotFound" => $"could not {action}: the container '{_container.Name}' does not exist (create it, or set CreateContainer)",
        "AuthenticationFailed" or "AuthorizationFailure" or "AuthorizationPermissionMismatch" =>
            $"could not {action}: Azure refused the credentials or their permissions ({ex.ErrorCode})",
        "ServerBusy" or "InternalError" or "OperationTimedOut" =>
            $"could not {action}: the service stayed unavailable through the SDK's retries ({ex.ErrorCode}, HTTP {ex.Status})",
        _ => $"could not {action}: Azure error {(string.IsNullOrEmpty(ex.ErrorCode) ? "(no code)" : ex.ErrorCode)} (HTTP {ex.Status}): {FirstLine(ex.Message)}",
    };

    private static string FirstLine(string message) => message.Split('\n', 2)[0].Trim();

    private static Exception Innermost(Exception ex)
    {
        while (ex.InnerException is not null) ex = ex.InnerException;
        return ex;
    }
}
