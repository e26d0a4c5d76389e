using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace ObjectStorage;

/// <summary>
/// The names under which every <see cref="ObjectStore"/> reports its operations through
/// <see cref="System.Diagnostics.Metrics"/> and <see cref="ActivitySource"/>, so that a host picks them up
/// with one call each: <c>AddMeter(ObjectStoreTelemetry.MeterName)</c> and
/// <c>AddSource(ObjectStoreTelemetry.ActivitySourceName)</c> in the OpenTelemetry SDK. Nothing is
/// measured, and nothing allocated, while no listener is attached.
/// </summary>
public static class ObjectStoreTelemetry
{
    /// <summary>The name of the <see cref="Meter"/> that carries the store metrics.</summary>
    public const string MeterName = "ObjectStorage";

    /// <summary>The name of the <see cref="ActivitySource"/> that starts a span per store operation.</summary>
    public const string ActivitySourceName = "ObjectStorage";

    /// <summary>Counter of completed operations (successful or failed), tagged by store type and operation.</summary>
    public const string OperationsMetric = "objectstorage.operations";

    /// <summary>Counter of failed operations, tagged by store type, operation and <c>error.type</c>.</summary>
    public const string ErrorsMetric = "objectstorage.errors";

    /// <summary>Counter of object bytes read (get) or written (put), where the operation knows the size up front.</summary>
    public const string BytesMetric = "objectstorage.bytes";

    /// <summary>Histogram of operation durations in seconds, tagged like <see cref="OperationsMetric"/> (plus <c>error.type</c> on failures).</summary>
    public const string DurationMetric = "objectstorage.operation.duration";

    /// <summary>Tag: the store's type name (<c>DictStore</c>, <c>BucketStore</c>...), never its location, to keep the cardinality low.</summary>
    public const string StoreTag = "objectstorage.store";

    /// <summary>Tag: the operation (<c>get</c>, <c>put</c>, <c>put_if_not_exists</c>, <c>open_read</c>, <c>exists</c>, <c>stat</c>, <c>delete</c>, <c>keys</c>, <c>list</c>, <c>delete_many</c>, <c>delete_prefix</c>, <c>put_many</c>, <c>presign</c>; a ranged read is an <c>open_read</c>).</summary>
    public const string OperationTag = "objectstorage.operation";

    /// <summary>Span tag: the key (or the listing prefix) the operation was called with.</summary>
    public const string KeyTag = "objectstorage.key";

    /// <summary>Tag on failures: the exception's type name (OpenTelemetry's <c>error.type</c> convention).</summary>
    public const string ErrorTypeTag = "error.type";

    private static readonly string? s_version = typeof(ObjectStoreTelemetry).Assembly.GetName().Version?.ToString();

    internal static readonly ActivitySource Source = new(ActivitySourceName, s_version);
    internal static readonly Meter Meter = new(MeterName, s_version);

    internal static readonly Counter<long> Operations =
        Meter.CreateCounter<long>(OperationsMetric, "{operation}", "Store operations completed, successful or not.");

    internal static readonly Counter<long> Errors =
        Meter.CreateCounter<long>(ErrorsMetric, "{error}", "Store operations that threw.");

    internal static readonly Counter<long> Bytes =
        Meter.CreateCounter<long>(BytesMetric, "By", "Object bytes read by get and written by put.");

    internal static readonly Histogram<double> Duration =
        Meter.CreateHistogram<double>(DurationMetric, "s", "Duration of store operations.");

    /// <summary>The one check every public store member makes: true when anything listens.</summary>
    internal static bool IsEnabled =>
        Operations.Enabled || Duration.Enabled || Errors.Enabled || Bytes.Enabled || Source.HasListeners();
}
