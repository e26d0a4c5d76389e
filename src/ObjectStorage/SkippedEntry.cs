namespace ObjectStorage;

/// <summary>
/// Something a listing met and could not yield as an object: a file whose name is not valid UTF-8,
/// a row whose key breaks the key rules, a key a medium cannot hold. <paramref name="Entry"/> names
/// it as the medium does (a path, a quoted key), <paramref name="Reason"/> says why, and
/// <paramref name="Store"/> is the store that skipped it.
/// </summary>
public sealed record SkippedEntry(string Store, string Entry, string Reason)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Store}: skipped {Entry}: {Reason}";
}
