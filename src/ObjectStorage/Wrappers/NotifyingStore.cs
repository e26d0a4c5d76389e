namespace ObjectStorage;

/// <summary>What a <see cref="NotifyingStore"/> reports: one key that a put or delete reached, and the error if the operation failed.</summary>
/// <param name="Kind">Whether the key was put or deleted.</param>
/// <param name="Key">The key, as the caller gave it.</param>
/// <param name="Error">The operation's exception when it failed (the store may or may not have changed); null on success.</param>
public sealed record StoreChange(StoreChangeKind Kind, string Key, Exception? Error = null);

/// <summary>The operation a <see cref="StoreChange"/> reports.</summary>
public enum StoreChangeKind
{
    /// <summary>A put (of bytes or a stream, single, create-only when written, or in a batch).</summary>
    Put,

    /// <summary>A delete (single, in a batch, or by prefix).</summary>
    Delete,
}

/// <summary>
/// A store that tells handlers about every put and delete after it happened, as the Python
/// original's <c>NotifyingStore</c>, for cache invalidation or indexing. Reads pass through unseen.
/// </summary>
/// <remarks>
/// Handlers run after the operation returns or throws, on the caller's thread or flow, in the order
/// they were added, sync and async ones alike: the sync API waits for async handlers (on the thread
/// pool, so no synchronization context deadlocks) and the async API calls sync ones inline. A batch
/// reports each key in its order; a prefix delete lists the keys first, so it reports those it deleted.
/// When the operation failed, each handler sees its exception in <see cref="StoreChange.Error"/> and the
/// operation's exception is then rethrown. Every handler runs even when an earlier one throws; the
/// handlers' exceptions are then thrown together as <see cref="StoreNotificationException"/>, which
/// holds the operation's own exception too when both failed. A handler that throws never undoes the change.
/// </remarks>
public sealed class NotifyingStore(ObjectStore inner, bool leaveOpen = false) : WrapperStore(inner, leaveOpen)
{
    private readonly Lock _lock = new();
    private Func<StoreChange, CancellationToken, ValueTask>[] _handlers = [];

    /// <summary>Adds a handler called after each put and delete.</summary>
    public void OnChange(Action<StoreChange> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        Add((change, _) =>
        {
            handler(change);
            return ValueTask.CompletedTask;
        });
    }

    /// <summary>Adds an asynchronous handler called after each put and delete; the operation completes when it has.</summary>
    public void OnChange(Func<StoreChange, CancellationToken, ValueTask> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        Add(handler);
    }

    /// <summary>Adds a handler called after each put only.</summary>
    public void OnPut(Action<StoreChange> handler) => OnChange(Only(StoreChangeKind.Put, handler));

    /// <summary>Adds a handler called after each delete only.</summary>
    public void OnDelete(Action<StoreChange> handler) => OnChange(Only(StoreChangeKind.Delete, handler));

    /// <inheritdoc/>
    public override string ToString() => $"NotifyingStore({Inner})";

    /// <inheritdoc/>
    protected override void PutCore(string key, ReadOnlyMemory<byte> data, PutOptions options) =>
        Notify(StoreChangeKind.Put, [key], () => base.PutCore(key, data, options));

    /// <inheritdoc/>
    protected override ValueTask PutAsyncCore(string key, ReadOnlyMemory<byte> data, PutOptions options, CancellationToken cancellationToken) =>
        NotifyAsync(StoreChangeKind.Put, [key], () => base.PutAsyncCore(key, data, options, cancellationToken), cancellationToken);

    /// <inheritdoc/>
    protected override void PutStreamCore(string key, Stream data, PutOptions options) =>
        Notify(StoreChangeKind.Put, [key], () => base.PutStreamCore(key, data, options));

    /// <inheritdoc/>
    protected override ValueTask PutStreamAsyncCore(string key, Stream data, PutOptions options, CancellationToken cancellationToken) =>
        NotifyAsync(StoreChangeKind.Put, [key], () => base.PutStreamAsyncCore(key, data, options, cancellationToken), cancellationToken);

    /// <inheritdoc/>
    protected override bool PutIfNotExistsCore(string key, ReadOnlyMemory<byte> data, PutOptions options)
    {
        bool written = false;
        Notify(StoreChangeKind.Put, [key], () => written = base.PutIfNotExistsCore(key, data, options), () => written);
        return written;
    }

    /// <inheritdoc/>
    protected override async ValueTask<bool> PutIfNotExistsAsyncCore(string key, ReadOnlyMemory<byte> data, PutOptions options, CancellationToken cancellationToken)
    {
        bool written = false;
        await NotifyAsync(StoreChangeKind.Put, [key], async () => written = await base.PutIfNotExistsAsyncCore(key, data, options, cancellationToken).ConfigureAwait(false),
            cancellationToken, () => written).ConfigureAwait(false);
        return written;
    }

    /// <inheritdoc/>
    protected override void PutManyCore(IReadOnlyList<KeyValuePair<string, ReadOnlyMemory<byte>>> objects) =>
        Notify(StoreChangeKind.Put, [.. objects.Select(static o => o.Key)], () => base.PutManyCore(objects));

    /// <inheritdoc/>
    protected override ValueTask PutManyAsyncCore(IReadOnlyList<KeyValuePair<string, ReadOnlyMemory<byte>>> objects, CancellationToken cancellationToken) =>
        NotifyAsync(StoreChangeKind.Put, [.. objects.Select(static o => o.Key)], () => base.PutManyAsyncCore(objects, cancellationToken), cancellationToken);

    /// <inheritdoc/>
    protected override void DeleteCore(string key) => Notify(StoreChangeKind.Delete, [key], () => base.DeleteCore(key));

    /// <inheritdoc/>
    protected override ValueTask DeleteAsyncCore(string key, CancellationToken cancellationToken) =>
        NotifyAsync(StoreChangeKind.Delete, [key], () => base.DeleteAsyncCore(key, cancellationToken), cancellationToken);

    /// <inheritdoc/>
    protected override void DeleteManyCore(IReadOnlyList<string> keys) => Notify(StoreChangeKind.Delete, keys, () => base.DeleteManyCore(keys));

    /// <inheritdoc/>
    protected override ValueTask DeleteManyAsyncCore(IReadOnlyList<string> keys, CancellationToken cancellationToken) =>
        NotifyAsync(StoreChangeKind.Delete, keys, () => base.DeleteManyAsyncCore(keys, cancellationToken), cancellationToken);

    // Listed first so that each deleted key can be reported; a key added meanwhile stays (and unreported).
    /// <inheritdoc/>
    protected override long DeletePrefixCore(string prefix) => DeleteListed(prefix);

    /// <inheritdoc/>
    protected override ValueTask<long> DeletePrefixAsyncCore(string prefix, CancellationToken cancellationToken) =>
        DeleteListedAsync(prefix, cancellationToken);

    // ---- Private -----------------------------------------------------------------------------

    private void Add(Func<StoreChange, CancellationToken, ValueTask> handler)
    {
        lock (_lock) _handlers = [.. _handlers, handler];
    }

    private static Action<StoreChange> Only(StoreChangeKind kind, Action<StoreChange> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return change =>
        {
            if (change.Kind == kind) handler(change);
        };
    }

    private void Notify(StoreChangeKind kind, IReadOnlyList<string> keys, Action operation, Func<bool>? changed = null)
    {
        Exception? error = null;
        try
        {
            operation();
        }
        catch (Exception e)
        {
            error = e;
        }
        var handlers = Volatile.Read(ref _handlers);
        if (handlers.Length > 0 && (error is not null || changed?.Invoke() != false))
        {
            // Async handlers run on the pool so that a single-threaded synchronization context cannot deadlock the wait.
            var failures = Task.Run(() => RunHandlersAsync(handlers, kind, keys, error, CancellationToken.None)).GetAwaiter().GetResult();
            if (failures.Count > 0) throw new StoreNotificationException(ToString(), kind, keys, error, failures);
        }
        if (error is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(error);
    }

    private async ValueTask NotifyAsync(StoreChangeKind kind, IReadOnlyList<string> keys, Func<ValueTask> operation, CancellationToken cancellationToken,
        Func<bool>? changed = null)
    {
        Exception? error = null;
        try
        {
            await operation().ConfigureAwait(false);
        }
        catch (Exception e)
        {
            error = e;
        }
        var handlers = Volatile.Read(ref _handlers);
        if (handlers.Length > 0 && (error is not null || changed?.Invoke() != false))
        {
            var failures = await RunHandlersAsync(handlers, kind, keys, error, cancellationToken).ConfigureAwait(false);
            if (failures.Count > 0) throw new StoreNotificationException(ToString(), kind, keys, error, failures);
        }
        if (error is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(error);
    }

    private static async Task<List<Exception>> RunHandlersAsync(Func<StoreChange, CancellationToken, ValueTask>[] handlers, StoreChangeKind kind,
        IReadOnlyList<string> keys, Exception? error, CancellationToken cancellationToken)
    {
        var failures = new List<Exception>();
        foreach (var key in keys)
        {
            var change = new StoreChange(kind, key, error);
            foreach (var handler in handlers)
            {
                try
                {
                    await handler(change, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e)
                {
                    failures.Add(e);
                }
            }
        }
        return failures;
    }
}
