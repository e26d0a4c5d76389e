using ObjectStorage.Cli.Output;

namespace ObjectStorage.Cli.Progress;

/// <summary>Progress for a redirected stderr (a log, a CI job): a plain line at start, at most one a second, and one at the end.</summary>
internal sealed class LineProgress(string verb, long totalObjects, long totalBytes) : TransferProgress(verb, totalObjects, totalBytes)
{
    private readonly Lock _lock = new();
    private TimeSpan _lastLine;

    protected override async Task<T> ShowAsync<T>(Func<Task<T>> work)
    {
        Console.Error.WriteLine($"{Verb}: {Units.Objects(TotalObjects)} ({Units.Bytes(TotalBytes)}) in the source");
        bool finished = false;
        try
        {
            var result = await work();
            finished = true;
            return result;
        }
        finally
        {
            Console.Error.WriteLine($"{Verb}: {Counts()}, {(finished ? "done" : "stopped")} in {Units.Duration(Elapsed)}");
        }
    }

    protected override void OnReport()
    {
        lock (_lock)
        {
            var now = Elapsed;
            if (now - _lastLine < TimeSpan.FromSeconds(1)) return;
            _lastLine = now;
            var left = Remaining() is { } time ? Units.Duration(time) : "?";
            Console.Error.WriteLine($"{Verb}: {Counts()}, {left} left");
        }
    }
}
