namespace ObjectStorage;

/// <summary>
/// Something a listing met and could not yield as an object: a file whose name is not valid UTF-8,
/// a row whose key breaks the key rules. <paramref name="Entry"/> names it as the medium does (a
/// path, a row's or an object's key, exactly), <paramref name="Reason"/> says why, and
/// <paramref name="Store"/> is the store that skipped it.
/// </summary>
public sealed record SkippedEntry(string Store, string Entry, string Reason)
{
    /// <summary>One line for a log or a terminal, with the entry quoted (<see cref="ObjectKey.Quote"/>) so it cannot forge a line.</summary>
    public override string ToString() => $"{Store}: skipped {ObjectKey.Quote(Entry)}: {Reason}";
}
