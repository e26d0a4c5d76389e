using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using ObjectStorage.Tests.Support;

namespace ObjectStorage.Tests.Telemetry;

/// <summary>
/// Every store reports through System.Diagnostics.Metrics and ActivitySource; these tests read
/// what the OpenTelemetry SDK receives through its in-memory exporter. Other tests run in
/// parallel and report too, so each test looks only at the points of its own store types.
/// </summary>
public sealed class TelemetryTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A DictStore whose type name no other test uses, and that fails on the key "boom".</summary>
    private sealed class TelemetryProbeStore : DictStore
    {
        protected override byte[]? GetCore(string key) => key == "boom" ? throw Failure(key, "the medium broke") : base.GetCore(key);
    }

    private sealed class TelemetryCacheProbeStore : DictStore;

    private sealed class TelemetryMissProbeStore : DictStore;

    private sealed class Recording : IDisposable
    {
        private readonly MeterProvider _meters;
        private readonly TracerProvider _tracer;
        private readonly List<MetricSnapshot> _metrics = [];
        private readonly List<Activity> _spans = [];

        public Recording()
        {
            _meters = Sdk.CreateMeterProviderBuilder().AddMeter(ObjectStoreTelemetry.MeterName).AddInMemoryExporter(_metrics).Build();
            _tracer = Sdk.CreateTracerProviderBuilder().AddSource(ObjectStoreTelemetry.ActivitySourceName).AddInMemoryExporter(_spans).Build();
        }

        /// <summary>The sum of <paramref name="metric"/> over the points whose tags include all of <paramref name="tags"/>.</summary>
        public double Sum(string metric, params (string Key, string Value)[] tags)
        {
            _meters.ForceFlush();
            var snapshot = _metrics.LastOrDefault(m => m.Name == metric);
            if (snapshot is null) return 0;
            double sum = 0;
            foreach (var point in snapshot.MetricPoints)
            {
                var pointTags = new Dictionary<string, object?>();
                foreach (var tag in point.Tags) pointTags[tag.Key] = tag.Value;
                if (!tags.All(t => pointTags.TryGetValue(t.Key, out var v) && Equals(v, t.Value))) continue;
                sum += snapshot.MetricType switch
                {
                    MetricType.LongSum => point.GetSumLong(),
                    MetricType.Histogram => point.GetHistogramCount(),
                    _ => throw new InvalidOperationException($"unexpected metric type {snapshot.MetricType}"),
                };
            }
            return sum;
        }

        public List<Activity> Spans(string storeType)
        {
            _tracer.ForceFlush();
            lock (_spans) return [.. _spans.Where(s => (s.GetTagItem(ObjectStoreTelemetry.StoreTag) as string) == storeType)];
        }

        public void Dispose()
        {
            _meters.Dispose();
            _tracer.Dispose();
        }
    }

    private static (string, string) Store(string type) => (ObjectStoreTelemetry.StoreTag, type);

    private static (string, string) Op(string operation) => (ObjectStoreTelemetry.OperationTag, operation);

    [Fact]
    public async Task Operations_bytes_and_durations_are_counted_per_store_type_and_operation()
    {
        using var recording = new Recording();
        using var store = new TelemetryProbeStore();
        const string probe = nameof(TelemetryProbeStore);

        store.Put("a/1", new byte[100]);
        await store.PutAsync("a/2", new byte[50], Ct);
        Assert.Equal(100, store.Get("a/1").Length);
        Assert.Equal(50, (await store.GetAsync("a/2", Ct)).Length);
        Assert.True(store.Exists("a/1"));
        Assert.Equal(2, store.Keys("a/").Count());
        await store.DeleteAsync("a/2", Ct);

        Assert.Equal(2, recording.Sum(ObjectStoreTelemetry.OperationsMetric, Store(probe), Op("put")));
        Assert.Equal(150, recording.Sum(ObjectStoreTelemetry.BytesMetric, Store(probe), Op("put")));
        Assert.Equal(2, recording.Sum(ObjectStoreTelemetry.OperationsMetric, Store(probe), Op("get")));
        Assert.Equal(150, recording.Sum(ObjectStoreTelemetry.BytesMetric, Store(probe), Op("get")));
        Assert.Equal(1, recording.Sum(ObjectStoreTelemetry.OperationsMetric, Store(probe), Op("exists")));
        Assert.Equal(1, recording.Sum(ObjectStoreTelemetry.OperationsMetric, Store(probe), Op("keys")));
        Assert.Equal(1, recording.Sum(ObjectStoreTelemetry.OperationsMetric, Store(probe), Op("delete")));
        Assert.Equal(7, recording.Sum(ObjectStoreTelemetry.DurationMetric, Store(probe)));
        Assert.Equal(0, recording.Sum(ObjectStoreTelemetry.ErrorsMetric, Store(probe)));
    }

    [Fact]
    public async Task Failures_are_counted_as_errors_with_their_type_and_mark_the_span()
    {
        using var recording = new Recording();
        using var store = new TelemetryProbeStore();
        const string probe = nameof(TelemetryProbeStore);

        Assert.Throws<ObjectStoreException>(() => store.Get("boom"));
        await Assert.ThrowsAsync<ObjectNotFoundException>(async () => await store.GetAsync("missing", Ct));
        Assert.Null(await store.TryGetAsync("missing", Ct)); // absent is an answer, not an error

        Assert.Equal(1, recording.Sum(ObjectStoreTelemetry.ErrorsMetric, Store(probe), (ObjectStoreTelemetry.ErrorTypeTag, nameof(ObjectStoreException))));
        Assert.Equal(1, recording.Sum(ObjectStoreTelemetry.ErrorsMetric, Store(probe), (ObjectStoreTelemetry.ErrorTypeTag, nameof(ObjectNotFoundException))));
        Assert.Equal(2, recording.Sum(ObjectStoreTelemetry.ErrorsMetric, Store(probe)));
        Assert.Equal(3, recording.Sum(ObjectStoreTelemetry.OperationsMetric, Store(probe), Op("get")));

        var failed = Assert.Single(recording.Spans(probe), s => (string?)s.GetTagItem(ObjectStoreTelemetry.KeyTag) == "boom");
        Assert.Equal(ActivityStatusCode.Error, failed.Status);
        Assert.Equal("ObjectStore.Get", failed.DisplayName);
        Assert.Equal(nameof(ObjectStoreException), failed.GetTagItem(ObjectStoreTelemetry.ErrorTypeTag));
    }

    [Fact]
    public void A_composite_operation_is_the_parent_span_of_its_childrens_operations()
    {
        using var recording = new Recording();
        using var main = new TelemetryProbeStore();
        using var cache = new TelemetryCacheProbeStore();
        main.Put("k", [1, 2, 3]);
        using var caching = new CachingStore(main, cache, new CachingOptions { OwnsStores = false });

        Assert.Equal([1, 2, 3], caching.Get("k"));

        var mainGet = Assert.Single(recording.Spans(nameof(TelemetryProbeStore)), s => s.DisplayName == "ObjectStore.Get");
        var cacheSpans = recording.Spans(nameof(TelemetryCacheProbeStore));
        Assert.NotEmpty(cacheSpans);
        var parent = recording.Spans(nameof(CachingStore)).Single(s => s.SpanId == mainGet.ParentSpanId);
        Assert.Equal("get", parent.GetTagItem(ObjectStoreTelemetry.OperationTag));
        Assert.Equal("k", parent.GetTagItem(ObjectStoreTelemetry.KeyTag));
        Assert.All(cacheSpans, s => Assert.Equal(parent.SpanId, s.ParentSpanId));
    }

    [Fact]
    public async Task A_listing_is_one_operation_measured_to_its_end_and_does_not_become_the_callers_span()
    {
        using var recording = new Recording();
        using var store = new TelemetryProbeStore();
        const string probe = nameof(TelemetryProbeStore);
        for (int i = 0; i < 5; i++) store.Put($"l/{i}", [1]);

        var outer = Activity.Current;
        int seen = 0;
        await foreach (var info in store.ListAsync("l/", Ct))
        {
            Assert.Same(outer, Activity.Current);
            seen++;
        }
        foreach (var key in store.Keys("l/").Take(2)) seen++; // stopped early: still one operation

        Assert.Equal(7, seen);
        Assert.Equal(1, recording.Sum(ObjectStoreTelemetry.OperationsMetric, Store(probe), Op("list")));
        Assert.Equal(1, recording.Sum(ObjectStoreTelemetry.OperationsMetric, Store(probe), Op("keys")));
        Assert.Single(recording.Spans(probe), s => s.DisplayName == "ObjectStore.List");
    }

    [Theory]
    [InlineData("filesystem"), InlineData("hashdir"), InlineData("sqlite"), InlineData("zip")]
    public async Task Every_store_reports_under_its_own_type_with_no_code_of_its_own(string medium)
    {
        using var recording = new Recording();
        using var dir = new TempDirectory("telemetry");
        await using ObjectStore store = medium switch
        {
            "filesystem" => new FilesystemStore(dir.Path),
            "hashdir" => new HashdirStore(dir.Path),
            "sqlite" => new SqliteStore(dir.File("t.db")),
            _ => new ZipStore(dir.File("t.zip")),
        };
        var key = $"probe/{Guid.NewGuid():N}";

        await store.PutAsync(key, new byte[] { 1, 2, 3 }, Ct);
        Assert.Equal(3, store.Get(key).Length);

        var spans = recording.Spans(store.GetType().Name).Where(s => (string?)s.GetTagItem(ObjectStoreTelemetry.KeyTag) == key).ToList();
        Assert.Equal(["ObjectStore.Put", "ObjectStore.Get"], spans.Select(s => s.DisplayName));
        Assert.All(spans, s => Assert.Equal(3L, s.GetTagItem("objectstorage.bytes")));
    }

    [Fact]
    public async Task A_missing_key_read_through_wrappers_and_composites_records_no_error_below_them()
    {
        using var recording = new Recording();
        const string probe = nameof(TelemetryMissProbeStore);
        ObjectStore[] views =
        [
            new CachingStore(new TelemetryMissProbeStore(), new TelemetryMissProbeStore(), new CachingOptions { OwnsStores = true }),
            new PrefixStore(new TelemetryMissProbeStore(), "tenant"),
            new FanoutStore([new TelemetryMissProbeStore(), new TelemetryMissProbeStore()], new FanoutOptions { OwnsChildren = true }),
            new GzipStore(new TelemetryMissProbeStore()),
            new ReadOnlyStore(new TelemetryMissProbeStore()),
        ];
        foreach (var view in views)
        {
            using (view)
            {
                Assert.Null(view.TryOpenRead("missing"));
                Assert.Null(await view.TryOpenReadAsync("missing", Ct));
                Assert.Null(view.TryOpenRead("missing", 1, 2));
                Assert.Null(await view.TryOpenReadAsync("missing", 1, 2, Ct));
                Assert.False(view.TryGet("missing", out _));
                Assert.Null(await view.TryGetAsync("missing", Ct));
                // The caller's OpenRead of a missing key is one error: the view's, not its stores'.
                Assert.Throws<ObjectNotFoundException>(() => view.OpenRead("missing"));
                await Assert.ThrowsAsync<ObjectNotFoundException>(async () => await view.OpenReadAsync("missing", 0, 5, Ct));
            }
        }

        Assert.True(recording.Sum(ObjectStoreTelemetry.OperationsMetric, Store(probe), Op("open_read")) >= 6 * views.Length);
        Assert.Equal(0, recording.Sum(ObjectStoreTelemetry.ErrorsMetric, Store(probe)));
    }

    [Fact]
    public async Task Batch_operations_and_ranged_reads_are_measured_like_the_others()
    {
        using var recording = new Recording();
        using var store = new TelemetryProbeStore();
        const string probe = nameof(TelemetryProbeStore);
        var key = $"batch/{Guid.NewGuid():N}";

        store.PutMany([KeyValuePair.Create(key + "/1", (ReadOnlyMemory<byte>)new byte[10]), KeyValuePair.Create(key + "/2", (ReadOnlyMemory<byte>)new byte[5])]);
        await using (var range = await store.OpenReadAsync(key + "/1", 2, 3, Ct)) Assert.Equal(3, range.Length);
        Assert.Equal(1, await store.DeleteManyAsync([key + "/1"], Ct));
        Assert.Equal(1, store.DeletePrefix(key + "/"));

        var spans = recording.Spans(probe).Where(s => ((string?)s.GetTagItem(ObjectStoreTelemetry.KeyTag))?.StartsWith(key, StringComparison.Ordinal) == true).ToList();
        Assert.Equal(["ObjectStore.PutMany", "ObjectStore.OpenRead", "ObjectStore.DeleteMany", "ObjectStore.DeletePrefix"], spans.Select(s => s.DisplayName));
        Assert.Equal(15L, spans[0].GetTagItem("objectstorage.bytes"));
        Assert.Equal($"{key}/1 (+1 more)", spans[0].GetTagItem(ObjectStoreTelemetry.KeyTag));
    }
}
