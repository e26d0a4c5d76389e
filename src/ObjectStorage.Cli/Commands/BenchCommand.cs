using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using ObjectStorage.Cli.Options;
using ObjectStorage.Cli.Output;
using Spectre.Console;

namespace ObjectStorage.Cli.Commands;

/// <summary>
/// <c>objstore bench URL</c>: a short throughput check of a store: put, get, list and delete of
/// small objects, each for a fixed time, under a unique prefix that is removed afterwards (also
/// when the run fails or is interrupted). A quick look at a store, not a benchmark to quote:
/// those are under bench/ with BenchmarkDotNet.
/// </summary>
internal sealed class BenchCommand : StoreCommand
{
    private readonly Argument<string> _url = UrlArgument();
    private readonly Option<double> _seconds = new("--seconds", "-s")
    {
        Description = "How long each phase (put, get, list) runs, in seconds",
        DefaultValueFactory = _ => 1.0,
    };
    private readonly Option<string> _size = new("--size")
    {
        Description = "Object size: bytes, or with a unit (64KiB, 1MiB, 10MB)",
        DefaultValueFactory = _ => "4096",
    };

    public BenchCommand()
        : base("bench", "Measure a store's throughput for a few seconds: put, get, list and delete of small objects under a unique prefix (objstore-bench-...), removed afterwards.",
            "objstore bench sqlite://objstore-demo.db",
            "objstore bench 's3://my-bucket?endpoint=http://127.0.0.1:9000' --seconds 3 --size 64KiB")
    {
        Arguments.Add(_url);
        Options.Add(_seconds);
        Options.Add(_size);
    }

    protected override async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var url = parse.GetRequiredValue(_url);
        double seconds = parse.GetValue(_seconds);
        long requested = UnitText.Size(parse.GetValue(_size) ?? "4096", "--size");
        if (seconds is <= 0 or > 600) throw new ArgumentException($"--seconds must be more than 0 and at most 600, not {seconds.ToString(CultureInfo.InvariantCulture)}");
        if (requested is < 0 or > 64 << 20) throw new ArgumentException($"--size must be from 0 to 64MiB ({64 << 20} bytes), not {requested}");
        int size = (int)requested;
        var phaseTime = TimeSpan.FromSeconds(seconds);
        var prefix = $"objstore-bench-{DateTime.UtcNow:yyyyMMddHHmmss}-{Guid.NewGuid().ToString("N")[..8]}/";
        var data = new byte[size];
        Random.Shared.NextBytes(data);

        await using var store = Stores.Open(url, StoreAccess.ReadWrite);
        var phases = new List<BenchPhase>();
        long written = 0;
        var warmUp = prefix + "warm-up";
        try
        {
            // One untimed round trip first: connection set-up, JIT and first-use costs are not throughput.
            await store.PutAsync(warmUp, data, cancellationToken);
            await store.GetAsync(warmUp, cancellationToken);
            phases.Add(await TimedAsync("put", phaseTime, async i =>
            {
                await store.PutAsync(Key(prefix, i), data, cancellationToken);
                written = i + 1;
                return (1, size);
            }));
            phases.Add(await TimedAsync("get", phaseTime, async i =>
                (1, (await store.GetAsync(Key(prefix, i % written), cancellationToken)).LongLength)));
            phases.Add(await TimedAsync("list", phaseTime, async _ =>
            {
                long count = 0;
                await foreach (var key in store.KeysAsync(prefix, cancellationToken)) count++;
                return (count, 0);
            }));
        }
        finally
        {
            // Clean up whatever was written, even after a failure or Ctrl+C.
            var clock = Stopwatch.StartNew();
            for (long i = 0; i < written; i++) await store.DeleteAsync(Key(prefix, i), CancellationToken.None);
            phases.Add(new BenchPhase("delete", written, written, 0, clock.Elapsed.TotalSeconds));
            await store.DeleteAsync(warmUp, CancellationToken.None);
        }

        if (WantsJson(parse))
        {
            Json.Write(new BenchDocument(url, size, prefix, phases), Json.Context.BenchDocument);
            return ExitCodes.Ok;
        }
        Console.Out.WriteLine($"bench {store}: {Units.Bytes(size)} objects under {prefix} (removed)");
        var table = new Table()
            .AddColumn("phase")
            .AddColumn(new TableColumn("ops").RightAligned())
            .AddColumn(new TableColumn("ops/s").RightAligned())
            .AddColumn(new TableColumn("objects/s").RightAligned())
            .AddColumn(new TableColumn("MB/s").RightAligned());
        foreach (var phase in phases)
        {
            table.AddRow(
                phase.Name,
                Units.Count(phase.Operations),
                phase.OpsPerSecond.ToString("N1", CultureInfo.InvariantCulture),
                (phase.Objects / Math.Max(phase.Seconds, 1e-9)).ToString("N0", CultureInfo.InvariantCulture),
                phase.Bytes > 0 ? phase.MegabytesPerSecond.ToString("N2", CultureInfo.InvariantCulture) : "-");
        }
        AnsiConsole.Write(table);
        return ExitCodes.Ok;
    }

    private static string Key(string prefix, long i) => prefix + i.ToString("D8", CultureInfo.InvariantCulture);

    // Runs one operation after another until the time is up (at least once); each returns (objects, bytes).
    private static async Task<BenchPhase> TimedAsync(string name, TimeSpan duration, Func<long, Task<(long Objects, long Bytes)>> operation)
    {
        long ops = 0, objects = 0, bytes = 0;
        var clock = Stopwatch.StartNew();
        do
        {
            var (o, b) = await operation(ops);
            ops++;
            objects += o;
            bytes += b;
        }
        while (clock.Elapsed < duration);
        return new BenchPhase(name, ops, objects, bytes, clock.Elapsed.TotalSeconds);
    }
}
