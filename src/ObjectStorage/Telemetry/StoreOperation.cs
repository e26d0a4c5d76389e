using System.Diagnostics;

namespace ObjectStorage;

/// <summary>
/// One measured call of a public store member: started before the core member runs, ended by
/// <see cref="Succeeded"/> or by <see cref="Failed"/> from an exception filter (so the exception is
/// never caught and rethrown). The default value, returned while nothing listens, records nothing.
/// </summary>
internal struct StoreOperation
{
    private ObjectStore? _store;
    private readonly string _operation;
    private readonly long _started;
    private readonly Activity? _activity;

    private StoreOperation(ObjectStore store, string operation, string key, bool detached)
    {
        var parent = Activity.Current;
        _store = store;
        _operation = operation;
        _started = Stopwatch.GetTimestamp();
        _activity = ObjectStoreTelemetry.Source.StartActivity(SpanName(operation), ActivityKind.Internal);
        if (_activity is { IsAllDataRequested: true } activity)
        {
            activity.SetTag(ObjectStoreTelemetry.StoreTag, store.GetType().Name);
            activity.SetTag(ObjectStoreTelemetry.OperationTag, operation);
            activity.SetTag(ObjectStoreTelemetry.KeyTag, key);
        }
        // A listing's span lasts across the caller's loop: keep it from becoming the caller's current span.
        if (detached && _activity is not null) Activity.Current = parent;
    }

    /// <summary>Starts measuring <paramref name="operation"/> on <paramref name="store"/>, or returns an inert value when nothing listens.</summary>
    public static StoreOperation Start(ObjectStore store, string operation, string key, bool detached = false) =>
        ObjectStoreTelemetry.IsEnabled ? new StoreOperation(store, operation, key, detached) : default;

    /// <summary>True when this call is being measured.</summary>
    public readonly bool IsActive => _store is not null;

    /// <summary>Records a success; <paramref name="bytes"/> is the object size moved, or -1 when unknown.</summary>
    public void Succeeded(long bytes = -1)
    {
        if (_store is null) return;
        Record(bytes, error: null);
    }

    /// <summary>Records a failure. Returns false so that it can stand in an exception filter.</summary>
    public bool Failed(Exception error)
    {
        if (_store is not null) Record(-1, error);
        return false;
    }

    private void Record(long bytes, Exception? error)
    {
        var store = _store!;
        _store = null;
        var tags = new TagList
        {
            { ObjectStoreTelemetry.StoreTag, store.GetType().Name },
            { ObjectStoreTelemetry.OperationTag, _operation },
        };
        if (bytes >= 0) ObjectStoreTelemetry.Bytes.Add(bytes, tags);
        if (error is not null)
        {
            tags.Add(ObjectStoreTelemetry.ErrorTypeTag, error.GetType().Name);
            ObjectStoreTelemetry.Errors.Add(1, tags);
        }
        ObjectStoreTelemetry.Operations.Add(1, tags);
        ObjectStoreTelemetry.Duration.Record(Stopwatch.GetElapsedTime(_started).TotalSeconds, tags);

        if (_activity is null) return;
        if (bytes >= 0) _activity.SetTag("objectstorage.bytes", bytes);
        if (error is not null)
        {
            _activity.SetTag(ObjectStoreTelemetry.ErrorTypeTag, error.GetType().Name);
            _activity.SetStatus(ActivityStatusCode.Error, error.Message);
        }
        _activity.Dispose();
    }

    private static string SpanName(string operation) => operation switch
    {
        StoreOperations.Get => "ObjectStore.Get",
        StoreOperations.OpenRead => "ObjectStore.OpenRead",
        StoreOperations.Put => "ObjectStore.Put",
        StoreOperations.PutIfNotExists => "ObjectStore.PutIfNotExists",
        StoreOperations.Exists => "ObjectStore.Exists",
        StoreOperations.Stat => "ObjectStore.Stat",
        StoreOperations.Delete => "ObjectStore.Delete",
        StoreOperations.Keys => "ObjectStore.Keys",
        StoreOperations.List => "ObjectStore.List",
        StoreOperations.DeleteMany => "ObjectStore.DeleteMany",
        StoreOperations.DeletePrefix => "ObjectStore.DeletePrefix",
        StoreOperations.PutMany => "ObjectStore.PutMany",
        StoreOperations.Presign => "ObjectStore.Presign",
        _ => "ObjectStore." + operation,
    };
}

/// <summary>The values of the <see cref="ObjectStoreTelemetry.OperationTag"/> tag.</summary>
internal static class StoreOperations
{
    public const string Get = "get";
    public const string OpenRead = "open_read";
    public const string Put = "put";
    public const string PutIfNotExists = "put_if_not_exists";
    public const string Exists = "exists";
    public const string Stat = "stat";
    public const string Delete = "delete";
    public const string Keys = "keys";
    public const string List = "list";
    public const string DeleteMany = "delete_many";
    public const string DeletePrefix = "delete_prefix";
    public const string PutMany = "put_many";
    public const string Presign = "presign";
}
