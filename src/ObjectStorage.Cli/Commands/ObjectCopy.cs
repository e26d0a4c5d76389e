using ObjectStorage.Cli.Progress;

namespace ObjectStorage.Cli.Commands;

/// <summary>One object from one store to another (or to another key), streamed with its bytes shown, then verified: what <c>cp --key</c> and <c>mv</c> do.</summary>
internal static class ObjectCopy
{
    /// <summary>Copies <paramref name="key"/> (as <paramref name="info"/> describes it, metadata included) to <paramref name="targetKey"/> and checks that the target holds as many bytes; throws <see cref="IOException"/> when it does not.</summary>
    public static async Task CopyAsync(ObjectStore source, string key, ObjectStore target, string targetKey, ObjectInfo info, string verb, bool quiet,
        CancellationToken cancellationToken)
    {
        var progress = quiet ? null : new ByteProgress(verb, info.Size);
        try
        {
            await using var body = await source.OpenReadAsync(key, cancellationToken);
            // The copy keeps what the target can of the source's content type, metadata and time, as a sync does.
            await target.PutAsync(targetKey, progress?.Track(body) ?? body, PutOptions.From(info).Keeping(target.MetadataSupport.Kept), cancellationToken);
        }
        finally
        {
            if (progress is not null) await progress.DisposeAsync();
        }
        await VerifyAsync(source, key, target, targetKey, info, cancellationToken);
    }

    /// <summary>Throws <see cref="IOException"/> unless <paramref name="target"/> holds <paramref name="targetKey"/> with the size the source listed.</summary>
    public static async Task VerifyAsync(ObjectStore source, string key, ObjectStore target, string targetKey, ObjectInfo info, CancellationToken cancellationToken)
    {
        var copy = await target.StatAsync(targetKey, cancellationToken);
        if (copy?.Size != info.Size)
            throw new IOException($"The copy of {ObjectKey.Quote(key)} from {source} in {target} as {ObjectKey.Quote(targetKey)} " +
                                  (copy is null ? "is missing" : $"has {copy.Size} bytes, not {info.Size}") + " after the copy; the source is kept");
    }
}
