namespace ObjectStorage.Zip;

/// <summary>
/// A resource shared by a store and the streams it hands out: it is freed when the last holder
/// releases it, so that a flush can retire a file that an open reader still uses.
/// </summary>
internal abstract class RefCounted
{
    private int _references = 1;

    /// <summary>Adds a holder; the caller must already hold a reference (or know one is held).</summary>
    public void Acquire()
    {
        if (Interlocked.Increment(ref _references) <= 1)
            throw new InvalidOperationException($"{GetType().Name} was acquired after it was freed.");
    }

    /// <summary>Drops a holder; the last one frees the resource.</summary>
    public void Release()
    {
        if (Interlocked.Decrement(ref _references) == 0) Free();
    }

    protected abstract void Free();
}
