using System.Diagnostics;
using System.Diagnostics.Metrics;
using BenchmarkDotNet.Attributes;

namespace ObjectStorage.Benchmarks;

/// <summary>
/// What the telemetry in the ObjectStore base class costs on the hottest path there is: a 4 KiB
/// DictStore get. With no listener the public member makes one flag check; with a MeterListener
/// (what the OpenTelemetry SDK attaches) each call records four measurements; with an
/// ActivityListener that samples everything it also starts and stops a span. The baseline is the
/// same lookup and copy done directly on a dictionary.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 5, iterationCount: 15)]
public class TelemetryBenchmarks
{
    public enum Listening { Nothing, Metrics, MetricsAndSpans }

    private const string Key = "bench/object";
    private readonly Dictionary<string, byte[]> _raw = new(StringComparer.Ordinal); // what DictStore holds, read the way it reads
    private DictStore _store = null!;
    private MeterListener? _meters;
    private ActivityListener? _spans;

    [Params(Listening.Nothing, Listening.Metrics, Listening.MetricsAndSpans)]
    public Listening Listener { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var data = new byte[4096];
        new Random(1).NextBytes(data);
        _raw[Key] = data;
        _store = new DictStore();
        _store.Put(Key, data);
        if (Listener >= Listening.Metrics)
        {
            _meters = new MeterListener
            {
                InstrumentPublished = (instrument, listener) =>
                {
                    if (instrument.Meter.Name == ObjectStoreTelemetry.MeterName) listener.EnableMeasurementEvents(instrument);
                },
            };
            _meters.SetMeasurementEventCallback<long>(static (_, _, _, _) => { });
            _meters.SetMeasurementEventCallback<double>(static (_, _, _, _) => { });
            _meters.Start();
        }
        if (Listener == Listening.MetricsAndSpans)
        {
            _spans = new ActivityListener
            {
                ShouldListenTo = static source => source.Name == ObjectStoreTelemetry.ActivitySourceName,
                Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            };
            ActivitySource.AddActivityListener(_spans);
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _meters?.Dispose();
        _spans?.Dispose();
        _store.Dispose();
    }

    [Benchmark(Baseline = true)]
    public byte[] RawDictionaryGet() => _raw[Key].ToArray();

    [Benchmark]
    public byte[] DictStoreGet() => _store.Get(Key);
}
