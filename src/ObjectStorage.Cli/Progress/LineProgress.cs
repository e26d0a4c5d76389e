using System.Diagnostics;
using ObjectStorage.Cli.Output;
using ObjectStorage.Cli.Transfer;

namespace ObjectStorage.Cli.Progress;

/// <summary>Progress for a redirected stderr (a log, a CI job): a plain line at most once a second, and one at the end.</summary>
internal sealed class LineProgress(string verb, long totalObjects, long totalBytes) : TransferProgress(verb, totalObjects, totalBytes)
{
    private readonly Stopwatch _clock = new();
    private readonly Lock _lock = new();
    private TimeSpan _lastLine;

    public override async Task<T> RunAsync<T>(Func<IProgress<TransferStep>, Task<T>> work)
    {
        _clock.Start();
        Console.Error.WriteLine($"{Verb}: {Units.Count(TotalObjects)} objects, {Units.Bytes(TotalBytes)} to check");
        try
        {
            return await work(this);
        }
        finally
        {
            Console.Error.WriteLine($"{Verb}: {Counts()}, done in {Units.Duration(_clock.Elapsed)}");
        }
    }

    protected override void OnStep()
    {
        lock (_lock)
        {
            var now = _clock.Elapsed;
            if (now - _lastLine < TimeSpan.FromSeconds(1)) return;
            _lastLine = now;
            double rate = Bytes / Math.Max(now.TotalSeconds, 1e-3);
            var left = rate > 0 ? Units.Duration(TimeSpan.FromSeconds(Math.Max(0, TotalBytes - Bytes) / rate)) : "?";
            Console.Error.WriteLine($"{Verb}: {Counts()}, {Units.Rate(rate)}, {left} left");
        }
    }
}
