using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;

namespace ObjectStorage;

/// <summary>
/// A wrapper that logs every operation on an inner store through an <see cref="ILogger"/>: each
/// operation at <see cref="LogLevel.Debug"/> (key, elapsed time, size where known, never the
/// bytes), a medium failure (<see cref="IOException"/>, so every <see cref="ObjectStoreException"/>)
/// at <see cref="LogLevel.Error"/>, any other exception (an unsupported operation, a key the inner
/// store refuses) at <see cref="LogLevel.Warning"/>, and a cancellation at Debug. Keys are logged as
/// structured values with characters that could forge a log line escaped. While Debug is off, a
/// successful operation costs one <see cref="ILogger.IsEnabled"/> call and allocates nothing.
/// </summary>
/// <remarks>
/// It lives in its own package rather than in the core because the core depends on the base class
/// library only, and apart from the DI package so that an application without a host can log too. For metrics and traces no wrapper is needed: every store reports through
/// <see cref="ObjectStoreTelemetry"/>.
/// </remarks>
public sealed partial class LoggingStore : WrapperStore
{
    private readonly ILogger _logger;
    private readonly string _description;

    /// <summary>Logs the operations on <paramref name="inner"/> to <paramref name="logger"/>; disposing the wrapper disposes <paramref name="inner"/> unless <paramref name="leaveOpen"/>.</summary>
    public LoggingStore(ObjectStore inner, ILogger logger, bool leaveOpen = false) : base(inner, leaveOpen)
    {
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _description = inner.ToString();
    }

    /// <summary>Describes the inner store: logging does not change what the store is.</summary>
    public override string ToString() => $"LoggingStore({_description})";

    /// <inheritdoc/>
    protected override byte[]? GetCore(string key)
    {
        long started = Start();
        try
        {
            var data = base.GetCore(key);
            Read("get", key, started, data?.Length);
            return data;
        }
        catch (Exception e) when (Failed("get", key, e)) { throw; }
    }

    /// <inheritdoc/>
    protected override async ValueTask<byte[]?> GetAsyncCore(string key, CancellationToken cancellationToken)
    {
        long started = Start();
        try
        {
            var data = await base.GetAsyncCore(key, cancellationToken).ConfigureAwait(false);
            Read("get", key, started, data?.Length);
            return data;
        }
        catch (Exception e) when (Failed("get", key, e)) { throw; }
    }

    /// <inheritdoc/>
    protected override Stream? OpenReadCore(string key)
    {
        long started = Start();
        try
        {
            var stream = base.OpenReadCore(key);
            Read("open_read", key, started, stream is null ? null : -1);
            return stream;
        }
        catch (Exception e) when (Failed("open_read", key, e)) { throw; }
    }

    /// <inheritdoc/>
    protected override async ValueTask<Stream?> OpenReadAsyncCore(string key, CancellationToken cancellationToken)
    {
        long started = Start();
        try
        {
            var stream = await base.OpenReadAsyncCore(key, cancellationToken).ConfigureAwait(false);
            Read("open_read", key, started, stream is null ? null : -1);
            return stream;
        }
        catch (Exception e) when (Failed("open_read", key, e)) { throw; }
    }

    /// <inheritdoc/>
    protected override void PutCore(string key, ReadOnlyMemory<byte> data, PutOptions options)
    {
        long started = Start();
        try
        {
            base.PutCore(key, data, options);
            Done("put", key, started, data.Length);
        }
        catch (Exception e) when (Failed("put", key, e)) { throw; }
    }

    /// <inheritdoc/>
    protected override async ValueTask PutAsyncCore(string key, ReadOnlyMemory<byte> data, PutOptions options, CancellationToken cancellationToken)
    {
        long started = Start();
        try
        {
            await base.PutAsyncCore(key, data, options, cancellationToken).ConfigureAwait(false);
            Done("put", key, started, data.Length);
        }
        catch (Exception e) when (Failed("put", key, e)) { throw; }
    }

    /// <inheritdoc/>
    protected override void PutStreamCore(string key, Stream data, PutOptions options)
    {
        long started = Start();
        try
        {
            base.PutStreamCore(key, data, options);
            Done("put", key, started, -1);
        }
        catch (Exception e) when (Failed("put", key, e)) { throw; }
    }

    /// <inheritdoc/>
    protected override async ValueTask PutStreamAsyncCore(string key, Stream data, PutOptions options, CancellationToken cancellationToken)
    {
        long started = Start();
        try
        {
            await base.PutStreamAsyncCore(key, data, options, cancellationToken).ConfigureAwait(false);
            Done("put", key, started, -1);
        }
        catch (Exception e) when (Failed("put", key, e)) { throw; }
    }

    /// <inheritdoc/>
    protected override bool PutIfNotExistsCore(string key, ReadOnlyMemory<byte> data, PutOptions options)
    {
        long started = Start();
        try
        {
            bool written = base.PutIfNotExistsCore(key, data, options);
            Created(key, started, written, data.Length);
            return written;
        }
        catch (Exception e) when (Failed("put_if_not_exists", key, e)) { throw; }
    }

    /// <inheritdoc/>
    protected override async ValueTask<bool> PutIfNotExistsAsyncCore(string key, ReadOnlyMemory<byte> data, PutOptions options, CancellationToken cancellationToken)
    {
        long started = Start();
        try
        {
            bool written = await base.PutIfNotExistsAsyncCore(key, data, options, cancellationToken).ConfigureAwait(false);
            Created(key, started, written, data.Length);
            return written;
        }
        catch (Exception e) when (Failed("put_if_not_exists", key, e)) { throw; }
    }

    /// <inheritdoc/>
    protected override bool ExistsCore(string key)
    {
        long started = Start();
        try
        {
            bool exists = base.ExistsCore(key);
            Read("exists", key, started, exists ? -1 : null);
            return exists;
        }
        catch (Exception e) when (Failed("exists", key, e)) { throw; }
    }

    /// <inheritdoc/>
    protected override async ValueTask<bool> ExistsAsyncCore(string key, CancellationToken cancellationToken)
    {
        long started = Start();
        try
        {
            bool exists = await base.ExistsAsyncCore(key, cancellationToken).ConfigureAwait(false);
            Read("exists", key, started, exists ? -1 : null);
            return exists;
        }
        catch (Exception e) when (Failed("exists", key, e)) { throw; }
    }

    /// <inheritdoc/>
    protected override ObjectInfo? StatCore(string key)
    {
        long started = Start();
        try
        {
            var info = base.StatCore(key);
            Read("stat", key, started, info?.Size);
            return info;
        }
        catch (Exception e) when (Failed("stat", key, e)) { throw; }
    }

    /// <inheritdoc/>
    protected override async ValueTask<ObjectInfo?> StatAsyncCore(string key, CancellationToken cancellationToken)
    {
        long started = Start();
        try
        {
            var info = await base.StatAsyncCore(key, cancellationToken).ConfigureAwait(false);
            Read("stat", key, started, info?.Size);
            return info;
        }
        catch (Exception e) when (Failed("stat", key, e)) { throw; }
    }

    /// <inheritdoc/>
    protected override void DeleteCore(string key)
    {
        long started = Start();
        try
        {
            base.DeleteCore(key);
            Done("delete", key, started, -1);
        }
        catch (Exception e) when (Failed("delete", key, e)) { throw; }
    }

    /// <inheritdoc/>
    protected override async ValueTask DeleteAsyncCore(string key, CancellationToken cancellationToken)
    {
        long started = Start();
        try
        {
            await base.DeleteAsyncCore(key, cancellationToken).ConfigureAwait(false);
            Done("delete", key, started, -1);
        }
        catch (Exception e) when (Failed("delete", key, e)) { throw; }
    }

    /// <inheritdoc/>
    protected override Stream? OpenRangeCore(string key, long offset, long? length)
    {
        long started = Start();
        try
        {
            var stream = base.OpenRangeCore(key, offset, length);
            Read("open_range", key, started, stream is null ? null : -1);
            return stream;
        }
        catch (Exception e) when (Failed("open_range", key, e)) { throw; }
    }

    /// <inheritdoc/>
    protected override async ValueTask<Stream?> OpenRangeAsyncCore(string key, long offset, long? length, CancellationToken cancellationToken)
    {
        long started = Start();
        try
        {
            var stream = await base.OpenRangeAsyncCore(key, offset, length, cancellationToken).ConfigureAwait(false);
            Read("open_range", key, started, stream is null ? null : -1);
            return stream;
        }
        catch (Exception e) when (Failed("open_range", key, e)) { throw; }
    }

    /// <inheritdoc/>
    protected override void PutManyCore(IReadOnlyList<KeyValuePair<string, ReadOnlyMemory<byte>>> objects)
    {
        long started = Start();
        var first = FirstKey(objects);
        try
        {
            base.PutManyCore(objects);
            Batch("put_many", first, started, objects.Count);
        }
        catch (Exception e) when (Failed("put_many", first, e)) { throw; }
    }

    /// <inheritdoc/>
    protected override async ValueTask PutManyAsyncCore(IReadOnlyList<KeyValuePair<string, ReadOnlyMemory<byte>>> objects, CancellationToken cancellationToken)
    {
        long started = Start();
        var first = FirstKey(objects);
        try
        {
            await base.PutManyAsyncCore(objects, cancellationToken).ConfigureAwait(false);
            Batch("put_many", first, started, objects.Count);
        }
        catch (Exception e) when (Failed("put_many", first, e)) { throw; }
    }

    /// <inheritdoc/>
    protected override void DeleteManyCore(IReadOnlyList<string> keys)
    {
        long started = Start();
        var first = keys.Count > 0 ? keys[0] : "";
        try
        {
            base.DeleteManyCore(keys);
            Batch("delete_many", first, started, keys.Count);
        }
        catch (Exception e) when (Failed("delete_many", first, e)) { throw; }
    }

    /// <inheritdoc/>
    protected override async ValueTask DeleteManyAsyncCore(IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        long started = Start();
        var first = keys.Count > 0 ? keys[0] : "";
        try
        {
            await base.DeleteManyAsyncCore(keys, cancellationToken).ConfigureAwait(false);
            Batch("delete_many", first, started, keys.Count);
        }
        catch (Exception e) when (Failed("delete_many", first, e)) { throw; }
    }

    /// <inheritdoc/>
    protected override long DeletePrefixCore(string prefix)
    {
        long started = Start();
        try
        {
            return Deleted(prefix, started, base.DeletePrefixCore(prefix));
        }
        catch (Exception e) when (Failed("delete_prefix", prefix, e)) { throw; }
    }

    /// <inheritdoc/>
    protected override async ValueTask<long> DeletePrefixAsyncCore(string prefix, CancellationToken cancellationToken)
    {
        long started = Start();
        try
        {
            return Deleted(prefix, started, await base.DeletePrefixAsyncCore(prefix, cancellationToken).ConfigureAwait(false));
        }
        catch (Exception e) when (Failed("delete_prefix", prefix, e)) { throw; }
    }

    // The URL itself is never logged: its query carries a signature that grants access.
    /// <inheritdoc/>
    protected override Uri PresignCore(string key, HttpMethod method, TimeSpan expiresIn)
    {
        long started = Start();
        try
        {
            return Signed(key, method, started, base.PresignCore(key, method, expiresIn));
        }
        catch (Exception e) when (Failed(PresignOperation(method), key, e)) { throw; }
    }

    /// <inheritdoc/>
    protected override async ValueTask<Uri> PresignAsyncCore(string key, HttpMethod method, TimeSpan expiresIn, CancellationToken cancellationToken)
    {
        long started = Start();
        try
        {
            return Signed(key, method, started, await base.PresignAsyncCore(key, method, expiresIn, cancellationToken).ConfigureAwait(false));
        }
        catch (Exception e) when (Failed(PresignOperation(method), key, e)) { throw; }
    }

    /// <inheritdoc/>
    protected override IEnumerable<string> KeysCore(string prefix) => Logged("keys", prefix, base.KeysCore(prefix));

    /// <inheritdoc/>
    protected override IAsyncEnumerable<string> KeysAsyncCore(string prefix, CancellationToken cancellationToken) =>
        LoggedAsync("keys", prefix, base.KeysAsyncCore(prefix, cancellationToken), cancellationToken);

    /// <inheritdoc/>
    protected override IEnumerable<ObjectInfo> ListCore(string prefix) => Logged("list", prefix, base.ListCore(prefix));

    /// <inheritdoc/>
    protected override IAsyncEnumerable<ObjectInfo> ListAsyncCore(string prefix, CancellationToken cancellationToken) =>
        LoggedAsync("list", prefix, base.ListAsyncCore(prefix, cancellationToken), cancellationToken);

    // ---- Logging --------------------------------------------------------------------------------

    // The start time, read only when the completion will be logged.
    private long Start() => _logger.IsEnabled(LogLevel.Debug) ? Stopwatch.GetTimestamp() : 0;

    // A read-like operation: null size means the key was absent, -1 an unknown size.
    private void Read(string operation, string key, long started, long? size)
    {
        if (started == 0) return;
        if (size is null) LogNotFound(_logger, operation, LogKey.Escape(key), _description, Elapsed(started));
        else Done(operation, key, started, size.Value);
    }

    private void Done(string operation, string key, long started, long size)
    {
        if (started == 0) return;
        if (size >= 0) LogCompletedWithSize(_logger, operation, LogKey.Escape(key), _description, Elapsed(started), size);
        else LogCompleted(_logger, operation, LogKey.Escape(key), _description, Elapsed(started));
    }

    private void Created(string key, long started, bool written, long size)
    {
        if (started == 0) return;
        if (written) Done("put_if_not_exists", key, started, size);
        else LogNotCreated(_logger, "put_if_not_exists", LogKey.Escape(key), _description, Elapsed(started));
    }

    // A batch is logged once, by its size and its first key, not as one line per object.
    private void Batch(string operation, string firstKey, long started, int count)
    {
        if (started != 0) LogBatch(_logger, operation, count, LogKey.Escape(firstKey), _description, Elapsed(started));
    }

    private static string FirstKey(IReadOnlyList<KeyValuePair<string, ReadOnlyMemory<byte>>> objects) => objects.Count > 0 ? objects[0].Key : "";

    private long Deleted(string prefix, long started, long deleted)
    {
        if (started != 0) LogListed(_logger, "delete_prefix", LogKey.Escape(prefix), _description, Elapsed(started), deleted);
        return deleted;
    }

    private Uri Signed(string key, HttpMethod method, long started, Uri url)
    {
        Done(PresignOperation(method), key, started, -1);
        return url;
    }

    private static string PresignOperation(HttpMethod method) => method == HttpMethod.Put ? "presign_put" : "presign_get";

    // An exception filter: logs at the level the exception deserves and lets it propagate untouched.
    private bool Failed(string operation, string key, Exception error)
    {
        var level = LevelOf(error);
        if (!_logger.IsEnabled(level)) return false;
        var escaped = LogKey.Escape(key);
        switch (level)
        {
            case LogLevel.Debug: LogCanceled(_logger, operation, escaped, _description); break;
            case LogLevel.Error: LogFailed(_logger, operation, escaped, _description, error.Message, error); break;
            default: LogRejected(_logger, operation, escaped, _description, error.Message, error); break;
        }
        return false;
    }

    private static LogLevel LevelOf(Exception error) => error switch
    {
        OperationCanceledException => LogLevel.Debug,
        IOException => LogLevel.Error,
        _ => LogLevel.Warning,
    };

    private static double Elapsed(long started) => Stopwatch.GetElapsedTime(started).TotalMilliseconds;

    private IEnumerable<T> Logged<T>(string operation, string prefix, IEnumerable<T> items)
    {
        long started = Start();
        long count = 0;
        using var enumerator = items.GetEnumerator();
        while (true)
        {
            try
            {
                if (!enumerator.MoveNext()) break;
            }
            catch (Exception e) when (Failed(operation, prefix, e)) { throw; }
            count++;
            yield return enumerator.Current;
        }
        if (started != 0) LogListed(_logger, operation, LogKey.Escape(prefix), _description, Elapsed(started), count);
    }

    private async IAsyncEnumerable<T> LoggedAsync<T>(string operation, string prefix, IAsyncEnumerable<T> items,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        long started = Start();
        long count = 0;
        var enumerator = items.GetAsyncEnumerator(cancellationToken);
        await using (enumerator.ConfigureAwait(false))
        {
            while (true)
            {
                try
                {
                    if (!await enumerator.MoveNextAsync().ConfigureAwait(false)) break;
                }
                catch (Exception e) when (Failed(operation, prefix, e)) { throw; }
                count++;
                yield return enumerator.Current;
            }
        }
        if (started != 0) LogListed(_logger, operation, LogKey.Escape(prefix), _description, Elapsed(started), count);
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Debug, SkipEnabledCheck = true,
        Message = "{Operation} \"{Key}\" on {Store} took {ElapsedMs:0.###} ms")]
    private static partial void LogCompleted(ILogger logger, string operation, string key, string store, double elapsedMs);

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug, SkipEnabledCheck = true,
        Message = "{Operation} \"{Key}\" on {Store} took {ElapsedMs:0.###} ms, {Size} bytes")]
    private static partial void LogCompletedWithSize(ILogger logger, string operation, string key, string store, double elapsedMs, long size);

    [LoggerMessage(EventId = 3, Level = LogLevel.Debug, SkipEnabledCheck = true,
        Message = "{Operation} \"{Key}\" on {Store} took {ElapsedMs:0.###} ms: not found")]
    private static partial void LogNotFound(ILogger logger, string operation, string key, string store, double elapsedMs);

    [LoggerMessage(EventId = 4, Level = LogLevel.Debug, SkipEnabledCheck = true,
        Message = "{Operation} \"{Key}\" on {Store} took {ElapsedMs:0.###} ms, {Count} entries")]
    private static partial void LogListed(ILogger logger, string operation, string key, string store, double elapsedMs, long count);

    [LoggerMessage(EventId = 8, Level = LogLevel.Debug, SkipEnabledCheck = true,
        Message = "{Operation} \"{Key}\" on {Store} took {ElapsedMs:0.###} ms: the key exists, nothing written")]
    private static partial void LogNotCreated(ILogger logger, string operation, string key, string store, double elapsedMs);

    [LoggerMessage(EventId = 5, Level = LogLevel.Debug, SkipEnabledCheck = true,
        Message = "{Operation} \"{Key}\" on {Store} was canceled")]
    private static partial void LogCanceled(ILogger logger, string operation, string key, string store);

    [LoggerMessage(EventId = 6, Level = LogLevel.Warning, SkipEnabledCheck = true,
        Message = "{Operation} \"{Key}\" on {Store} was refused: {Reason}")]
    private static partial void LogRejected(ILogger logger, string operation, string key, string store, string reason, Exception error);

    [LoggerMessage(EventId = 7, Level = LogLevel.Error, SkipEnabledCheck = true,
        Message = "{Operation} \"{Key}\" on {Store} failed: {Reason}")]
    private static partial void LogFailed(ILogger logger, string operation, string key, string store, string reason, Exception error);

    [LoggerMessage(EventId = 9, Level = LogLevel.Debug, SkipEnabledCheck = true,
        Message = "{Operation} of {Count} objects from \"{Key}\" on {Store} took {ElapsedMs:0.###} ms")]
    private static partial void LogBatch(ILogger logger, string operation, int count, string key, string store, double elapsedMs);
}
