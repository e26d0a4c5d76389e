using ObjectStorage.Cli.Transfer;

namespace ObjectStorage.Cli.Progress;

/// <summary>
/// Shows a transfer as it runs, on stderr (stdout keeps the results): a live bar (objects, bytes,
/// rate, time left) on a terminal, plain lines at most once a second when stderr is redirected,
/// or nothing. Counts come from several worker threads at once.
/// </summary>
internal abstract class TransferProgress : IProgress<TransferStep>
{
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
    protected long Bytes => Interlocked.Read(ref _bytes);
    protected long Deleted => Interlocked.Read(ref _deleted);
    protected long Failed => Interlocked.Read(ref _failed);

    /// <summary>The kind of display for where stderr goes.</summary>
    public static TransferProgress Create(string verb, long totalObjects, long totalBytes, bool quiet) =>
        quiet ? new SilentProgress(verb) : Console.IsErrorRedirected
            ? new LineProgress(verb, totalObjects, totalBytes)
            : new LiveProgress(verb, totalObjects, totalBytes);

    /// <summary>Runs <paramref name="work"/> while showing its progress.</summary>
    public abstract Task<T> RunAsync<T>(Func<IProgress<TransferStep>, Task<T>> work);

    public void Report(TransferStep step)
    {
        if (step.Outcome == TransferOutcome.Deleted) Interlocked.Increment(ref _deleted);
        else
        {
            Interlocked.Increment(ref _objects);
            Interlocked.Add(ref _bytes, step.Bytes);
        }
        if (step.Outcome == TransferOutcome.Failed) Interlocked.Increment(ref _failed);
        OnStep();
    }

    protected virtual void OnStep() { }

    /// <summary>"12/500 objects, 1.2 MiB/4.5 MiB" with deletes and failures when there are any.</summary>
    protected string Counts()
    {
        var text = $"{Output.Units.Count(Objects)}/{Output.Units.Count(TotalObjects)} objects, {Output.Units.Bytes(Bytes)}/{Output.Units.Bytes(TotalBytes)}";
        if (Deleted > 0) text += $", {Output.Units.Count(Deleted)} deleted";
        if (Failed > 0) text += $", {Output.Units.Count(Failed)} failed";
        return text;
    }

    private sealed class SilentProgress(string verb) : TransferProgress(verb, 0, 0)
    {
        public override Task<T> RunAsync<T>(Func<IProgress<TransferStep>, Task<T>> work) => work(this);
    }
}
