using System.Diagnostics.CodeAnalysis;

namespace ObjectStorage;

/// <summary>
/// Blobs under string keys, on any medium. Shaped like <see cref="Stream"/>: one abstract class
/// with sync and async members side by side, capability flags for what the medium can do, and
/// bridges so that a medium implements only its natural side (local media the sync one, remote
/// media the async one).
/// </summary>
/// <remarks>
/// The public members check the key (<see cref="ObjectKey"/>), the capability and disposal, then
/// call a protected <c>...Core</c> member. A derived store overrides, for each operation, the sync
/// or the async core member (or both); the base class supplies the other side. Sync members over
/// an async-only medium run the operation on the thread pool, so they do not deadlock under a
/// single-threaded <see cref="SynchronizationContext"/>.
/// </remarks>
// The bridges find which core members a store overrides by reflection (ObjectStore.Bridges.cs); this keeps
// those members of every derived store when the application is trimmed or compiled ahead of time.
[DynamicallyAccessedMembers(ScannedMembers)]
public abstract partial class ObjectStore : IDisposable, IAsyncDisposable
{
    private const DynamicallyAccessedMemberTypes ScannedMembers = DynamicallyAccessedMemberTypes.PublicMethods | DynamicallyAccessedMemberTypes.NonPublicMethods;

    private readonly Overrides _overrides;
    private int _disposed;

    /// <summary>Finds, once per derived type, which core members it overrides, so that the base class knows which side to bridge from.</summary>
    protected ObjectStore() => _overrides = OverrideScan.Of(GetType());

    /// <summary>True when the store accepts puts.</summary>
    public virtual bool CanWrite => true;

    /// <summary>True when the store accepts deletes.</summary>
    public virtual bool CanDelete => CanWrite;

    /// <summary>True when the store can enumerate its keys.</summary>
    public virtual bool CanList => true;

    /// <summary>True when <see cref="PutIfNotExists(string, ReadOnlyMemory{byte})"/> is atomic on this medium and supported.</summary>
    public virtual bool CanPutIfNotExists => false;

    /// <summary>True when a ranged <see cref="OpenRead(string, long, long?)"/> reads only the bytes in the range; false when the base class opens the object and skips to the offset.</summary>
    public virtual bool IsRangeReadNative => false;

    /// <summary>True when <see cref="DeleteMany(IEnumerable{string})"/> and <see cref="DeletePrefix(string)"/> delete in batches on the medium rather than one request per key.</summary>
    public virtual bool IsDeleteManyNative => false;

    /// <summary>True when <see cref="PutMany(IEnumerable{KeyValuePair{string, ReadOnlyMemory{byte}}})"/> stores all the objects or, on failure, none.</summary>
    public virtual bool IsPutManyAtomic => false;

    /// <summary>True when the medium issues presigned URLs (<see cref="PresignGetUrl(string, TimeSpan)"/>, <see cref="PresignPutUrl(string, TimeSpan)"/>); there is no fallback.</summary>
    public virtual bool CanPresign => false;

    /// <summary>
    /// What the <see cref="ObjectInfo.ETag"/> values of this store are a hash of the content in
    /// (for example "md5"), so that tags from two stores of the same kind can be compared without
    /// reading either object; null (the default) when the tag only marks a version.
    /// </summary>
    public virtual string? ETagKind => null;

    /// <summary>
    /// What metadata the store keeps (content type, user metadata, a given modification time),
    /// which of it its listings carry, and the precision of its times; a put carrying a kind it
    /// does not keep is refused. By default nothing is kept and no time is given.
    /// </summary>
    public virtual MetadataSupport MetadataSupport => MetadataSupport.None;

    /// <summary>True once the store has been disposed.</summary>
    public bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    /// <summary>A short description of the store (its type and location) used in every message it throws.</summary>
    public override string ToString() => GetType().Name;

    // ---- Get ---------------------------------------------------------------------------------

    /// <summary>Returns a copy of the object's bytes; throws <see cref="ObjectNotFoundException"/> (a <see cref="KeyNotFoundException"/>) when absent.</summary>
    public byte[] Get(string key)
    {
        Check(key);
        var op = StoreOperation.Start(this, StoreOperations.Get, key);
        try
        {
            var data = GetCore(key) ?? throw NotFound(key);
            op.Succeeded(data.Length);
            return data;
        }
        catch (Exception e) when (op.Failed(e))
        {
            throw;
        }
    }

    /// <summary>Reads the object if it exists; false (and null) when it does not.</summary>
    public bool TryGet(string key, [NotNullWhen(true)] out byte[]? data)
    {
        Check(key);
        var op = StoreOperation.Start(this, StoreOperations.Get, key);
        try
        {
            data = GetCore(key);
            op.Succeeded(data?.Length ?? -1);
            return data is not null;
        }
        catch (Exception e) when (op.Failed(e))
        {
            throw;
        }
    }

    /// <inheritdoc cref="Get(string)"/>
    public async ValueTask<byte[]> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        Check(key);
        var op = StoreOperation.Start(this, StoreOperations.Get, key);
        try
        {
            var data = await GetAsyncCore(key, cancellationToken).ConfigureAwait(false) ?? throw NotFound(key);
            op.Succeeded(data.Length);
            return data;
        }
        catch (Exception e) when (op.Failed(e))
        {
            throw;
        }
    }

    /// <summary>Reads the object if it exists; null when it does not.</summary>
    public ValueTask<byte[]?> TryGetAsync(string key, CancellationToken cancellationToken = default)
    {
        Check(key);
        return ObjectStoreTelemetry.IsEnabled
            ? ObserveAsync(StoreOperations.Get, key, 0, cancellationToken, static (s, k, _, c) => s.GetAsyncCore(k, c), static (_, d) => d?.Length ?? -1)
            : GetAsyncCore(key, cancellationToken);
    }

    /// <summary>The object's bytes, or null when absent.</summary>
    protected virtual byte[]? GetCore(string key)
    {
        Require(Overrides.GetAsync, "Get");
        return RunSync(() => GetAsyncCore(key, CancellationToken.None));
    }

    /// <inheritdoc cref="GetCore(string)"/>
    protected virtual ValueTask<byte[]?> GetAsyncCore(string key, CancellationToken cancellationToken)
    {
        Require(Overrides.Get, "Get");
        return FromSync((Store: this, key), static s => s.Store.GetCore(s.key), cancellationToken);
    }

    // ---- OpenRead ----------------------------------------------------------------------------

    /// <summary>Opens the object for reading as a stream, for objects larger than memory; throws <see cref="ObjectNotFoundException"/> when absent.</summary>
    public Stream OpenRead(string key)
    {
        Check(key);
        var op = StoreOperation.Start(this, StoreOperations.OpenRead, key);
        try
        {
            var stream = OpenReadCore(key) ?? throw NotFound(key);
            op.Succeeded();
            return stream;
        }
        catch (Exception e) when (op.Failed(e))
        {
            throw;
        }
    }

    /// <inheritdoc cref="OpenRead(string)"/>
    public async ValueTask<Stream> OpenReadAsync(string key, CancellationToken cancellationToken = default)
    {
        Check(key);
        var op = StoreOperation.Start(this, StoreOperations.OpenRead, key);
        try
        {
            var stream = await OpenReadAsyncCore(key, cancellationToken).ConfigureAwait(false) ?? throw NotFound(key);
            op.Succeeded();
            return stream;
        }
        catch (Exception e) when (op.Failed(e))
        {
            throw;
        }
    }

    /// <summary>Opens the object for reading if it exists; null when it does not (an answer, not an error, also in the metrics).</summary>
    public Stream? TryOpenRead(string key)
    {
        Check(key);
        var op = StoreOperation.Start(this, StoreOperations.OpenRead, key);
        try
        {
            var stream = OpenReadCore(key);
            op.Succeeded();
            return stream;
        }
        catch (Exception e) when (op.Failed(e))
        {
            throw;
        }
    }

    /// <inheritdoc cref="TryOpenRead(string)"/>
    public ValueTask<Stream?> TryOpenReadAsync(string key, CancellationToken cancellationToken = default)
    {
        Check(key);
        return ObjectStoreTelemetry.IsEnabled
            ? ObserveAsync(StoreOperations.OpenRead, key, 0, cancellationToken, static (s, k, _, c) => s.OpenReadAsyncCore(k, c), static (_, _) => -1)
            : OpenReadAsyncCore(key, cancellationToken);
    }

    /// <summary>A readable stream over the object, or null when absent. By default the whole object in memory.</summary>
    protected virtual Stream? OpenReadCore(string key)
    {
        if (Has(Overrides.OpenReadAsync)) return RunSync(() => OpenReadAsyncCore(key, CancellationToken.None));
        var data = GetCore(key);
        return data is null ? null : new MemoryStream(data, writable: false);
    }

    /// <inheritdoc cref="OpenReadCore(string)"/>
    protected virtual async ValueTask<Stream?> OpenReadAsyncCore(string key, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (Has(Overrides.OpenRead)) return OpenReadCore(key);
        var data = await GetAsyncCore(key, cancellationToken).ConfigureAwait(false);
        return data is null ? null : new MemoryStream(data, writable: false);
    }

    // ---- Put ---------------------------------------------------------------------------------

    /// <summary>Stores <paramref name="data"/> under <paramref name="key"/>, replacing any object there atomically: readers see the old bytes or the new, never a mix.</summary>
    public void Put(string key, ReadOnlyMemory<byte> data) => Put(key, data, PutOptions.None);

    /// <summary>
    /// Stores <paramref name="data"/> under <paramref name="key"/> with the metadata of <paramref name="options"/>, replacing any
    /// object there (bytes and metadata) atomically; throws <see cref="InvalidMetadataException"/> for metadata that breaks a rule
    /// and <see cref="NotSupportedException"/> for a kind the store does not keep (<see cref="MetadataSupport"/>), writing nothing.
    /// </summary>
    public void Put(string key, ReadOnlyMemory<byte> data, PutOptions options)
    {
        options = CheckPut(key, options, "Put");
        var op = StoreOperation.Start(this, StoreOperations.Put, key);
        try
        {
            PutCore(key, data, options);
            op.Succeeded(data.Length);
        }
        catch (Exception e) when (op.Failed(e))
        {
            throw;
        }
    }

    /// <inheritdoc cref="Put(string, ReadOnlyMemory{byte})"/>
    public void Put(string key, byte[] data) => Put(key, data, PutOptions.None);

    /// <inheritdoc cref="Put(string, ReadOnlyMemory{byte}, PutOptions)"/>
    public void Put(string key, byte[] data, PutOptions options) =>
        Put(key, new ReadOnlyMemory<byte>(data ?? throw new ArgumentNullException(nameof(data))), options);

    /// <inheritdoc cref="Put(string, ReadOnlyMemory{byte})"/>
    public ValueTask PutAsync(string key, byte[] data, CancellationToken cancellationToken = default) =>
        PutAsync(key, data, PutOptions.None, cancellationToken);

    /// <inheritdoc cref="Put(string, ReadOnlyMemory{byte}, PutOptions)"/>
    public ValueTask PutAsync(string key, byte[] data, PutOptions options, CancellationToken cancellationToken = default) =>
        PutAsync(key, new ReadOnlyMemory<byte>(data ?? throw new ArgumentNullException(nameof(data))), options, cancellationToken);

    /// <summary>Stores the rest of <paramref name="data"/> under <paramref name="key"/>, atomically, without holding it all in memory where the medium streams.</summary>
    public void Put(string key, Stream data) => Put(key, data, PutOptions.None);

    /// <summary>Stores the rest of <paramref name="data"/> under <paramref name="key"/> with the metadata of <paramref name="options"/>, atomically, without holding it all in memory where the medium streams; refuses metadata as <see cref="Put(string, ReadOnlyMemory{byte}, PutOptions)"/> does.</summary>
    public void Put(string key, Stream data, PutOptions options)
    {
        ArgumentNullException.ThrowIfNull(data);
        options = CheckPut(key, options, "Put");
        var op = StoreOperation.Start(this, StoreOperations.Put, key);
        try
        {
            PutStreamCore(key, data, options);
            op.Succeeded();
        }
        catch (Exception e) when (op.Failed(e))
        {
            throw;
        }
    }

    /// <inheritdoc cref="Put(string, ReadOnlyMemory{byte})"/>
    public ValueTask PutAsync(string key, ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default) =>
        PutAsync(key, data, PutOptions.None, cancellationToken);

    /// <inheritdoc cref="Put(string, ReadOnlyMemory{byte}, PutOptions)"/>
    public ValueTask PutAsync(string key, ReadOnlyMemory<byte> data, PutOptions options, CancellationToken cancellationToken = default)
    {
        options = CheckPut(key, options, "Put");
        return ObjectStoreTelemetry.IsEnabled
            ? ObserveAsync(StoreOperations.Put, key, (data, options), data.Length, cancellationToken, static (s, k, a, c) => s.PutAsyncCore(k, a.data, a.options, c))
            : PutAsyncCore(key, data, options, cancellationToken);
    }

    /// <inheritdoc cref="Put(string, Stream)"/>
    public ValueTask PutAsync(string key, Stream data, CancellationToken cancellationToken = default) =>
        PutAsync(key, data, PutOptions.None, cancellationToken);

    /// <inheritdoc cref="Put(string, Stream, PutOptions)"/>
    public ValueTask PutAsync(string key, Stream data, PutOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        options = CheckPut(key, options, "Put");
        return ObjectStoreTelemetry.IsEnabled
            ? ObserveAsync(StoreOperations.Put, key, (data, options), -1, cancellationToken, static (s, k, a, c) => s.PutStreamAsyncCore(k, a.data, a.options, c))
            : PutStreamAsyncCore(key, data, options, cancellationToken);
    }

    /// <summary>Stores the object and the metadata of <paramref name="options"/> (checked: only kinds the store keeps) atomically.</summary>
    protected virtual void PutCore(string key, ReadOnlyMemory<byte> data, PutOptions options)
    {
        Require(Overrides.PutAsync, "Put");
        RunSync(() => PutAsyncCore(key, data, options, CancellationToken.None));
    }

    /// <inheritdoc cref="PutCore(string, ReadOnlyMemory{byte}, PutOptions)"/>
    protected virtual ValueTask PutAsyncCore(string key, ReadOnlyMemory<byte> data, PutOptions options, CancellationToken cancellationToken)
    {
        Require(Overrides.Put, "Put");
        return FromSync((Store: this, key, data, options), static s => { s.Store.PutCore(s.key, s.data, s.options); return true; }, cancellationToken).AsVoid();
    }

    /// <summary>Stores the stream's remaining bytes and the metadata atomically. By default reads it into memory first.</summary>
    protected virtual void PutStreamCore(string key, Stream data, PutOptions options)
    {
        if (Has(Overrides.PutStreamAsync))
        {
            RunSync(() => PutStreamAsyncCore(key, data, options, CancellationToken.None));
            return;
        }
        using var buffer = new MemoryStream();
        data.CopyTo(buffer);
        PutCore(key, buffer.GetBuffer().AsMemory(0, (int)buffer.Length), options);
    }

    /// <inheritdoc cref="PutStreamCore(string, Stream, PutOptions)"/>
    protected virtual async ValueTask PutStreamAsyncCore(string key, Stream data, PutOptions options, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (Has(Overrides.PutStream))
        {
            PutStreamCore(key, data, options);
            return;
        }
        using var buffer = new MemoryStream();
        await data.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        await PutAsyncCore(key, buffer.GetBuffer().AsMemory(0, (int)buffer.Length), options, cancellationToken).ConfigureAwait(false);
    }

    // ---- PutIfNotExists ----------------------------------------------------------------------

    /// <summary>
    /// Stores the object only if no object has the key, atomically; returns false (and writes
    /// nothing) when one exists. Throws <see cref="NotSupportedException"/> unless <see cref="CanPutIfNotExists"/>.
    /// </summary>
    public bool PutIfNotExists(string key, ReadOnlyMemory<byte> data) => PutIfNotExists(key, data, PutOptions.None);

    /// <summary>Create-only put with the metadata of <paramref name="options"/>, refused as <see cref="Put(string, ReadOnlyMemory{byte}, PutOptions)"/> refuses it; see <see cref="PutIfNotExists(string, ReadOnlyMemory{byte})"/>.</summary>
    public bool PutIfNotExists(string key, ReadOnlyMemory<byte> data, PutOptions options)
    {
        options = CheckCreate(key, options);
        var op = StoreOperation.Start(this, StoreOperations.PutIfNotExists, key);
        try
        {
            var written = PutIfNotExistsCore(key, data, options);
            op.Succeeded(written ? data.Length : 0);
            return written;
        }
        catch (Exception e) when (op.Failed(e))
        {
            throw;
        }
    }

    /// <inheritdoc cref="PutIfNotExists(string, ReadOnlyMemory{byte})"/>
    public bool PutIfNotExists(string key, byte[] data) =>
        PutIfNotExists(key, new ReadOnlyMemory<byte>(data ?? throw new ArgumentNullException(nameof(data))), PutOptions.None);

    /// <inheritdoc cref="PutIfNotExists(string, ReadOnlyMemory{byte})"/>
    public ValueTask<bool> PutIfNotExistsAsync(string key, ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default) =>
        PutIfNotExistsAsync(key, data, PutOptions.None, cancellationToken);

    /// <inheritdoc cref="PutIfNotExists(string, ReadOnlyMemory{byte}, PutOptions)"/>
    public ValueTask<bool> PutIfNotExistsAsync(string key, ReadOnlyMemory<byte> data, PutOptions options, CancellationToken cancellationToken = default)
    {
        options = CheckCreate(key, options);
        return ObjectStoreTelemetry.IsEnabled
            ? ObserveAsync(StoreOperations.PutIfNotExists, key, (data, options), cancellationToken,
                static (s, k, a, c) => s.PutIfNotExistsAsyncCore(k, a.data, a.options, c), static (a, written) => written ? a.data.Length : 0)
            : PutIfNotExistsAsyncCore(key, data, options, cancellationToken);
    }

    /// <summary>Create-only put; true when written.</summary>
    protected virtual bool PutIfNotExistsCore(string key, ReadOnlyMemory<byte> data, PutOptions options)
    {
        Require(Overrides.PutIfNotExistsAsync, "PutIfNotExists");
        return RunSync(() => PutIfNotExistsAsyncCore(key, data, options, CancellationToken.None));
    }

    /// <inheritdoc cref="PutIfNotExistsCore(string, ReadOnlyMemory{byte}, PutOptions)"/>
    protected virtual ValueTask<bool> PutIfNotExistsAsyncCore(string key, ReadOnlyMemory<byte> data, PutOptions options, CancellationToken cancellationToken)
    {
        Require(Overrides.PutIfNotExists, "PutIfNotExists");
        return FromSync((Store: this, key, data, options), static s => s.Store.PutIfNotExistsCore(s.key, s.data, s.options), cancellationToken);
    }

    // ---- Exists ------------------------------------------------------------------------------

    /// <summary>True when an object has the key; never throws for a missing key.</summary>
    public bool Exists(string key)
    {
        Check(key);
        var op = StoreOperation.Start(this, StoreOperations.Exists, key);
        try
        {
            var exists = ExistsCore(key);
            op.Succeeded();
            return exists;
        }
        catch (Exception e) when (op.Failed(e))
        {
            throw;
        }
    }

    /// <inheritdoc cref="Exists(string)"/>
    public ValueTask<bool> ExistsAsync(string key, CancellationToken cancellationToken = default)
    {
        Check(key);
        return ObjectStoreTelemetry.IsEnabled
            ? ObserveAsync(StoreOperations.Exists, key, 0, cancellationToken, static (s, k, _, c) => s.ExistsAsyncCore(k, c), static (_, _) => -1)
            : ExistsAsyncCore(key, cancellationToken);
    }

    /// <summary>Whether the key exists. By default a <see cref="StatCore(string)"/>.</summary>
    protected virtual bool ExistsCore(string key) =>
        Has(Overrides.ExistsAsync) ? RunSync(() => ExistsAsyncCore(key, CancellationToken.None)) : StatCore(key) is not null;

    /// <inheritdoc cref="ExistsCore(string)"/>
    protected virtual async ValueTask<bool> ExistsAsyncCore(string key, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (Has(Overrides.Exists)) return ExistsCore(key);
        return await StatAsyncCore(key, cancellationToken).ConfigureAwait(false) is not null;
    }

    // ---- Stat --------------------------------------------------------------------------------

    /// <summary>The object's size, time and tag, or null when absent.</summary>
    public ObjectInfo? Stat(string key)
    {
        Check(key);
        var op = StoreOperation.Start(this, StoreOperations.Stat, key);
        try
        {
            var info = StatCore(key);
            op.Succeeded();
            return info;
        }
        catch (Exception e) when (op.Failed(e))
        {
            throw;
        }
    }

    /// <inheritdoc cref="Stat(string)"/>
    public ValueTask<ObjectInfo?> StatAsync(string key, CancellationToken cancellationToken = default)
    {
        Check(key);
        return ObjectStoreTelemetry.IsEnabled
            ? ObserveAsync(StoreOperations.Stat, key, 0, cancellationToken, static (s, k, _, c) => s.StatAsyncCore(k, c), static (_, _) => -1)
            : StatAsyncCore(key, cancellationToken);
    }

    /// <summary>Metadata, or null when absent.</summary>
    protected virtual ObjectInfo? StatCore(string key)
    {
        Require(Overrides.StatAsync, "Stat");
        return RunSync(() => StatAsyncCore(key, CancellationToken.None));
    }

    /// <inheritdoc cref="StatCore(string)"/>
    protected virtual ValueTask<ObjectInfo?> StatAsyncCore(string key, CancellationToken cancellationToken)
    {
        Require(Overrides.Stat, "Stat");
        return FromSync((Store: this, key), static s => s.Store.StatCore(s.key), cancellationToken);
    }

    // ---- Delete ------------------------------------------------------------------------------

    /// <summary>Removes the object; a missing key is not an error.</summary>
    public void Delete(string key)
    {
        CheckDelete(key);
        var op = StoreOperation.Start(this, StoreOperations.Delete, key);
        try
        {
            DeleteCore(key);
            op.Succeeded();
        }
        catch (Exception e) when (op.Failed(e))
        {
            throw;
        }
    }

    /// <inheritdoc cref="Delete(string)"/>
    public ValueTask DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        CheckDelete(key);
        return ObjectStoreTelemetry.IsEnabled
            ? ObserveAsync(StoreOperations.Delete, key, 0, -1, cancellationToken, static (s, k, _, c) => s.DeleteAsyncCore(k, c))
            : DeleteAsyncCore(key, cancellationToken);
    }

    /// <summary>Removes the object if present.</summary>
    protected virtual void DeleteCore(string key)
    {
        Require(Overrides.DeleteAsync, "Delete");
        RunSync(() => DeleteAsyncCore(key, CancellationToken.None));
    }

    /// <inheritdoc cref="DeleteCore(string)"/>
    protected virtual ValueTask DeleteAsyncCore(string key, CancellationToken cancellationToken)
    {
        Require(Overrides.Delete, "Delete");
        return FromSync((Store: this, key), static s => { s.Store.DeleteCore(s.key); return true; }, cancellationToken).AsVoid();
    }

    // ---- Keys and List -----------------------------------------------------------------------

    /// <summary>The keys that start with <paramref name="prefix"/>, streamed in UTF-8 byte order (<see cref="KeyComparer.Utf8"/>).</summary>
    public IEnumerable<string> Keys(string prefix = "")
    {
        CheckList(prefix);
        return ObjectStoreTelemetry.IsEnabled ? Observe(StoreOperations.Keys, prefix, KeysCore(prefix)) : KeysCore(prefix);
    }

    /// <inheritdoc cref="Keys(string)"/>
    public IAsyncEnumerable<string> KeysAsync(string prefix = "", CancellationToken cancellationToken = default)
    {
        CheckList(prefix);
        var keys = KeysAsyncCore(prefix, cancellationToken);
        return ObjectStoreTelemetry.IsEnabled ? ObserveAsync(StoreOperations.Keys, prefix, keys, cancellationToken) : keys;
    }

    /// <summary>The objects whose keys start with <paramref name="prefix"/>, with their metadata, streamed in UTF-8 byte order.</summary>
    public IEnumerable<ObjectInfo> List(string prefix = "")
    {
        CheckList(prefix);
        return ObjectStoreTelemetry.IsEnabled ? Observe(StoreOperations.List, prefix, ListCore(prefix)) : ListCore(prefix);
    }

    /// <inheritdoc cref="List(string)"/>
    public IAsyncEnumerable<ObjectInfo> ListAsync(string prefix = "", CancellationToken cancellationToken = default)
    {
        CheckList(prefix);
        var objects = ListAsyncCore(prefix, cancellationToken);
        return ObjectStoreTelemetry.IsEnabled ? ObserveAsync(StoreOperations.List, prefix, objects, cancellationToken) : objects;
    }

    /// <summary>Keys in order. By default the keys of <see cref="ListCore(string)"/>.</summary>
    protected virtual IEnumerable<string> KeysCore(string prefix)
    {
        if (Has(Overrides.KeysAsync)) return RunSync(KeysAsyncCore(prefix, CancellationToken.None));
        return ListCore(prefix).Select(static info => info.Key);
    }

    /// <inheritdoc cref="KeysCore(string)"/>
    protected virtual async IAsyncEnumerable<string> KeysAsyncCore(string prefix, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var keys = Has(Overrides.Keys)
            ? AsAsync(KeysCore(prefix), cancellationToken)
            : ListAsyncCore(prefix, cancellationToken).Select(static info => info.Key);
        await foreach (var key in keys.WithCancellation(cancellationToken).ConfigureAwait(false)) yield return key;
    }

    /// <summary>Objects in key order.</summary>
    protected virtual IEnumerable<ObjectInfo> ListCore(string prefix)
    {
        Require(Overrides.ListAsync, "List");
        return RunSync(ListAsyncCore(prefix, CancellationToken.None));
    }

    /// <inheritdoc cref="ListCore(string)"/>
    protected virtual IAsyncEnumerable<ObjectInfo> ListAsyncCore(string prefix, CancellationToken cancellationToken)
    {
        Require(Overrides.List, "List");
        return AsAsync(ListCore(prefix), cancellationToken);
    }

    // ---- Disposal ----------------------------------------------------------------------------

    /// <summary>Releases what the store holds; later calls throw <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <inheritdoc cref="Dispose()"/>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        await DisposeAsyncCore().ConfigureAwait(false);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases resources; called once.</summary>
    protected virtual void Dispose(bool disposing) { }

    /// <summary>Releases resources asynchronously; called once. By default calls <see cref="Dispose(bool)"/>.</summary>
    protected virtual ValueTask DisposeAsyncCore()
    {
        Dispose(disposing: true);
        return ValueTask.CompletedTask;
    }

    // ---- For derived stores ------------------------------------------------------------------

    /// <summary>Throws <see cref="ObjectDisposedException"/> once the store is disposed.</summary>
    protected void ThrowIfDisposed()
    {
        if (IsDisposed) throw new ObjectDisposedException(ToString(), $"{this} has been disposed.");
    }

    /// <summary>The not-found exception for <paramref name="key"/> in this store.</summary>
    protected ObjectNotFoundException NotFound(string key) => new(ToString(), key);

    /// <summary>A medium failure, naming this store and the key.</summary>
    protected ObjectStoreException Failure(string? key, string message, Exception? inner = null) =>
        new(ToString(), key, message, inner);

    private void Check(string key)
    {
        ThrowIfDisposed();
        ObjectKey.Validate(key);
    }

    private void CheckWrite(string key, string operation)
    {
        Check(key);
        if (!CanWrite) throw Unsupported(operation, "it is read-only (CanWrite is false)");
    }

    // The options as the core members get them: checked against the rules and against what the
    // store keeps, user metadata normalised, so that nothing a store cannot keep reaches it.
    private PutOptions CheckPut(string key, PutOptions options, string operation)
    {
        ArgumentNullException.ThrowIfNull(options);
        CheckWrite(key, operation);
        if (options.FindBrokenRule(out var normalised) is { } rule) throw new InvalidMetadataException(ToString(), key, rule);
        var support = MetadataSupport;
        var refused = normalised.Kinds & ~support.Kept;
        if (refused != MetadataKinds.None)
        {
            throw new NotSupportedException(
                $"{this} does not support {operation} of {ObjectKey.Describe(key)} with {Describe(refused)}: it keeps {Describe(support.Kept)} "
                + "(MetadataSupport.Kept); leave the rest out, for example with PutOptions.Keeping(store.MetadataSupport.Kept).");
        }
        return normalised;
    }

    private static string Describe(MetadataKinds kinds)
    {
        if (kinds == MetadataKinds.None) return "no metadata";
        var names = new List<string>(3);
        if ((kinds & MetadataKinds.ContentType) != 0) names.Add("a content type");
        if ((kinds & MetadataKinds.UserMetadata) != 0) names.Add("user metadata");
        if ((kinds & MetadataKinds.ModificationTime) != 0) names.Add("a modification time");
        return string.Join(" and ", names);
    }

    private PutOptions CheckCreate(string key, PutOptions options)
    {
        options = CheckPut(key, options, "PutIfNotExists");
        if (!CanPutIfNotExists)
            throw Unsupported("PutIfNotExists", "its medium cannot create an object only-if-absent atomically (CanPutIfNotExists is false)");
        return options;
    }

    private void CheckDelete(string key)
    {
        Check(key);
        if (!CanDelete) throw Unsupported("Delete", "it does not allow deletes (CanDelete is false)");
    }

    private void CheckList(string prefix)
    {
        ThrowIfDisposed();
        ObjectKey.ValidatePrefix(prefix);
        if (!CanList) throw Unsupported("listing", "it cannot enumerate its keys (CanList is false)");
    }

    /// <summary>The exception for an operation this store cannot do, with the reason.</summary>
    protected NotSupportedException Unsupported(string operation, string reason) =>
        new($"{this} does not support {operation}: {reason}.");
}
