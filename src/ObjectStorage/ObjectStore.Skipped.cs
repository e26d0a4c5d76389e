using System.Diagnostics;

namespace ObjectStorage;

// Nothing is skipped in silence: a store that passes over an entry says so here.
public abstract partial class ObjectStore
{
    private readonly Lock _skippedLock = new();
    private EventHandler<SkippedEntry>? _entrySkipped;

    /// <summary>
    /// Raised (on the listing's thread) for every entry a listing of this store, or of a store it
    /// wraps, passes over; with no handler the store writes a <see cref="Trace"/> warning instead.
    /// </summary>
    public event EventHandler<SkippedEntry>? EntrySkipped
    {
        add
        {
            lock (_skippedLock) _entrySkipped += value;
            foreach (var inner in InnerStores) inner.EntrySkipped += value;
        }
        remove
        {
            lock (_skippedLock) _entrySkipped -= value;
            foreach (var inner in InnerStores) inner.EntrySkipped -= value;
        }
    }

    /// <summary>The stores this one reads from, whose skipped entries reach this store's <see cref="EntrySkipped"/> handlers.</summary>
    protected virtual IEnumerable<ObjectStore> InnerStores => [];

    /// <summary>Reports an entry a listing passes over, naming it as the medium does and saying why.</summary>
    protected void ReportSkipped(string entry, string reason)
    {
        var skipped = new SkippedEntry(ToString(), entry, reason);
        EventHandler<SkippedEntry>? handlers;
        lock (_skippedLock) handlers = _entrySkipped;
        if (handlers is null) Trace.TraceWarning(skipped.ToString());
        else handlers(this, skipped);
    }
}
