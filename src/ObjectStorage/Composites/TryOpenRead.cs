namespace ObjectStorage;

/// <summary>Open-if-present for code that holds a store from outside (composites, wrappers), where a missing key is an answer, not an error.</summary>
internal static class TryOpenReadExtension
{
    public static Stream? TryOpenRead(this ObjectStore store, string key)
    {
        try
        {
            return store.OpenRead(key);
        }
        catch (ObjectNotFoundException)
        {
            return null;
        }
    }

    public static async ValueTask<Stream?> TryOpenReadAsync(this ObjectStore store, string key, CancellationToken cancellationToken)
    {
        try
        {
            return await store.OpenReadAsync(key, cancellationToken).ConfigureAwait(false);
        }
        catch (ObjectNotFoundException)
        {
            return null;
        }
    }
}
