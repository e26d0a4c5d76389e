using StackExchange.Redis;

namespace ObjectStorage;

// The one place where what StackExchange.Redis throws becomes what ObjectStore promises.
public sealed partial class RedisStore
{
    private Exception? Translate(Exception ex, string? key, string action) => ex switch
    {
        ObjectStoreException or KeyNotFoundException or InvalidKeyException or NotSupportedException or ObjectDisposedException or OperationCanceledException => null,
        RedisTimeoutException => Failure(key, $"could not {action}: Redis at {Endpoint} did not answer in time ({ex.Message})", ex),
        RedisConnectionException => Failure(key, $"could not {action}: Redis at {Endpoint} could not be reached ({ex.Message})", ex),
        RedisServerException when ex.Message.StartsWith("WRONGTYPE", StringComparison.Ordinal) =>
            Failure(key, $"could not {action}: the Redis key holds another type than a string, so it is no object of this store", ex),
        RedisServerException when ex.Message.StartsWith("OOM", StringComparison.Ordinal) =>
            Failure(key, $"could not {action}: Redis is out of memory (maxmemory reached): {ex.Message}", ex),
        RedisServerException => Failure(key, $"could not {action}: Redis refused: {ex.Message}", ex),
        _ => Failure(key, $"could not {action}: {ex.Message}", ex),
    };
}
