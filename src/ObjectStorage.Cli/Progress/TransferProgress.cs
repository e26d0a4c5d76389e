using ObjectStorage.Cli.Output;

namespace ObjectStorage.Cli.Progress;

/// <summary>
/// Shows a sync or copy as it runs, on stderr (stdout keeps the results): a live bar on a
/// terminal, plain lines at most once a second when stderr is redirected, or nothing. It counts
/// the source's objects as they are settled (copied, updated, unchanged or failed) against the
/// total the source listed, and the bytes copied; time left follows from the object rate.
/// Reports come from several worker threads at once.
/// </summary>
internal abstract class TransferProgress : IProgress<SyncProgress>
{
    private readonly System.Diagnostics.Stopwatch _clock = new();
    private long _objects;
    private long _bytes;
    private long _deleted;
    private long _failed;

    protected TransferProgress(string verb, long totalObjects, long totalBytes)
    {
        Verb = verb;
        TotalObjects = totalObjects;
        TotalBytes = totalBytes;
    }

    protected string Verb { get; }
    protected long TotalObjects { get; }
    protected long TotalBytes { get; }
    protected long Objects => Interlocked.Read(ref _objects);
    protected TimeSpan Elapsed => _clock.Elapsed;

    /// <summary>The display that suits where stderr goes.</summary>
    public static TransferProgress Create(string verb, long totalObjects, long totalBytes, bool quiet) =>
        quiet ? new SilentProgress(verb) : Console.IsErrorRedirected
            ? new LineProgress(verb, totalObjects, totalBytes)
            : new LiveProgress(verb, totalObjects, totalBytes);

    /// <summary>Runs <paramref name="work"/> while showing its progress.</summary>
    public async Task<T> RunAsync<T>(Func<IProgress<SyncProgress>, Task<T>> work)
    {
        _clock.Start();
        return await ShowAsync(() => work(this));
    }

    protected abstract Task<T> ShowAsync<T>(Func<Task<T>> work);

    public void Report(SyncProgress value)
    {
        if (value.Action is SyncAction.Delete or SyncAction.KeepExtraneous)
        {
            if (value.Action == SyncAction.Delete) Interlocked.Increment(ref _deleted);
        }
        else Interlocked.Increment(ref _objects);
        Interlocked.Add(ref _bytes, value.Bytes);
        if (value.Error is not null) Interlocked.Increment(ref _failed);
        OnReport();
    }

    protected virtual void OnReport() { }

    /// <summary>"12/500 objects, 1.2 MiB copied (3.4 MiB/s)", with deletes and failures when there are any.</summary>
    protected string Counts()
    {
        long bytes = Interlocked.Read(ref _bytes), deleted = Interlocked.Read(ref _deleted), failed = Interlocked.Read(ref _failed);
        var text = $"{Units.Count(Objects)}/{Units.Objects(TotalObjects)}, {Units.Bytes(bytes)} copied ({Units.Rate(bytes / Math.Max(Elapsed.TotalSeconds, 1e-3))})";
        if (deleted > 0) text += $", {Units.Count(deleted)} deleted";
        if (failed > 0) text += $", {Units.Count(failed)} failed";
        return text;
    }

    /// <summary>Time left at the object rate so far, or null before there is a rate.</summary>
    protected TimeSpan? Remaining()
    {
        long done = Objects;
        if (done == 0 || Elapsed.TotalSeconds <= 0) return null;
        return TimeSpan.FromSeconds(Math.Max(0, TotalObjects - done) * Elapsed.TotalSeconds / done);
    }

    private sealed class SilentProgress(string verb) : TransferProgress(verb, 0, 0)
    {
        protected override Task<T> ShowAsync<T>(Func<Task<T>> work) => work();
    }
}
