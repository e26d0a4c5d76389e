using System.Collections.Concurrent;
using System.Reflection;
using Amazon.S3;

namespace ObjectStorage.Tests.Support;

/// <summary>
/// An <see cref="IAmazonS3"/> that forwards every call to a real client and records the calls,
/// so a test can see requests whose effect s3rver does not show (it answers AbortMultipartUpload
/// with 405 and has no ListMultipartUploads).
/// </summary>
public class S3CallRecorder : DispatchProxy
{
    private IAmazonS3 _inner = null!;

    /// <summary>Calls in the order made: method name and request object.</summary>
    public ConcurrentQueue<(string Method, object? Request)> Calls { get; } = new();

    public static (IAmazonS3 Client, S3CallRecorder Recorder) Wrap(IAmazonS3 inner)
    {
        var proxy = Create<IAmazonS3, S3CallRecorder>();
        var recorder = (S3CallRecorder)(object)proxy;
        recorder._inner = inner;
        return (proxy, recorder);
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        Calls.Enqueue((targetMethod.Name, args is { Length: > 0 } ? args[0] : null));
        try
        {
            return targetMethod.Invoke(_inner, args);
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(ex.InnerException);
            throw;
        }
    }
}
