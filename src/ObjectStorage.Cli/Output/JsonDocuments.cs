namespace ObjectStorage.Cli.Output;

// The --json documents of the commands. Named types rather than anonymous ones, because the source generator
// (CliJsonContext) can only describe types it can name. Property order is the JSON order and the names become
// camelCase, so renaming or reordering a parameter here changes what scripts read.

/// <summary><c>cat --json</c>: the object's bytes in base64.</summary>
internal sealed record CatDocument(string Key, long Size, string Base64);

/// <summary><c>put --json</c>; <paramref name="Size"/> is null (left out) when the store cannot stat what it just took.</summary>
internal sealed record PutDocument(string Key, long? Size, string Source);

/// <summary><c>get --json</c>.</summary>
internal sealed record GetDocument(string Key, long Size, string File);

/// <summary><c>cp</c> or <c>mv</c> of one object (<c>--key</c>) with <c>--json</c>.</summary>
internal sealed record CopyOneDocument(string Source, string Key, string Target, string TargetKey, long Size, bool DryRun);

/// <summary><c>presign --json</c>.</summary>
internal sealed record PresignDocument(string Key, string Method, string Url, DateTimeOffset Expires);

/// <summary><c>serve --json</c>: where the server listens and which buckets it serves.</summary>
internal sealed record ServeDocument(string Endpoint, IReadOnlyList<string> Buckets);

/// <summary><c>size --json</c>.</summary>
internal sealed record SizeDocument(string Prefix, long Objects, long Bytes);

/// <summary><c>du --json</c>: the totals, then one entry per first-level folder or object.</summary>
internal sealed record FolderSizeDocument(string Prefix, long Objects, long Bytes, IReadOnlyList<FolderUsage> Entries);

/// <summary>One entry of <c>du</c>: a first-level folder (ending in '/') or an object at that level.</summary>
internal sealed record FolderUsage(string Name, long Objects, long Bytes);

/// <summary><c>rm KEY... --json</c>: which keys held an object and which did not.</summary>
internal sealed record RemoveKeysDocument(IReadOnlyList<string> Removed, IReadOnlyList<string> Absent);

/// <summary><c>rm --prefix/--recursive --json</c>.</summary>
internal sealed record RemovePrefixDocument(IReadOnlyList<string> Removed, int Objects, long Bytes, bool DryRun, bool ExceedsMaxDelete);

/// <summary><c>check --json</c>.</summary>
internal sealed record CheckDocument(
    string Source,
    string Target,
    bool Same,
    long Matching,
    long SizeOnly,
    long MissingInTarget,
    long MissingInSource,
    long Differing,
    IEnumerable<CheckDifferenceEntry> Differences,
    IEnumerable<KeyErrorEntry> Failures);

/// <summary>One key on which <c>check</c> found the stores disagree.</summary>
internal sealed record CheckDifferenceEntry(string Key, CheckDifferenceKind Kind);

/// <summary>One key <c>check</c> could not compare, with the error's message.</summary>
internal sealed record KeyErrorEntry(string Key, string Error);

/// <summary>One key a sync could not bring up to date: the action it tried and the error's message.</summary>
internal sealed record SyncFailureEntry(string Key, SyncAction Action, string Error);

/// <summary>One entry a listing passed over (see <see cref="SkippedEntry"/>).</summary>
internal sealed record SkippedEntryDocument(string Store, string Entry, string Reason);

/// <summary><c>bench --json</c>.</summary>
internal sealed record BenchDocument(string Store, int ObjectSize, string Prefix, IReadOnlyList<BenchPhase> Phases);

/// <summary>One timed phase of <c>bench</c>.</summary>
internal sealed record BenchPhase(string Name, long Operations, long Objects, long Bytes, double Seconds)
{
    public double OpsPerSecond => Math.Round(Operations / Math.Max(Seconds, 1e-9), 1);
    public double MegabytesPerSecond => Math.Round(Bytes / 1e6 / Math.Max(Seconds, 1e-9), 2);
}

/// <summary>The error object every command prints on stdout with <c>--json</c> when it fails.</summary>
internal sealed record ErrorDocument(ErrorDetail Error);

/// <summary>What <see cref="ErrorDocument"/> says: a kind for scripts, the exit code, and the one-line message.</summary>
internal sealed record ErrorDetail(string Kind, int ExitCode, string Message);
