namespace ObjectStorage.Cli.Transfer;

/// <summary>How <c>sync</c> decides that an object present on both sides must be copied again.</summary>
internal enum CompareMode
{
    /// <summary>Copy when the sizes differ (reads no object body).</summary>
    Size,

    /// <summary>Copy when the sizes or the bytes differ (reads both bodies of equal-sized objects).</summary>
    Content,

    /// <summary>Always copy (<c>cp</c>).</summary>
    Never,
}

/// <summary>What one run of <c>sync</c> or <c>cp</c> is asked to do.</summary>
internal sealed record TransferSettings
{
    /// <summary>Only keys that start with this.</summary>
    public string Prefix { get; init; } = "";

    /// <summary>Delete target keys that the source lacks.</summary>
    public bool DeleteExtraneous { get; init; }

    /// <summary>Decide and report, change nothing.</summary>
    public bool DryRun { get; init; }

    /// <summary>Objects in flight at once.</summary>
    public int Parallelism { get; init; } = 4;

    public CompareMode Compare { get; init; } = CompareMode.Size;
}

/// <summary>What happened to one key.</summary>
internal enum TransferOutcome { Copied, Updated, Unchanged, Deleted, Failed }

/// <summary>One key done; <see cref="Bytes"/> is the source object's size (0 for deletes).</summary>
internal readonly record struct TransferStep(string Key, TransferOutcome Outcome, long Bytes, string? Error = null);

/// <summary>A key that could not be transferred, with the reason.</summary>
internal sealed record TransferFailure(string Key, string Error);

/// <summary>What a run did (or, in a dry run, would have done).</summary>
internal sealed record TransferSummary(
    long Copied,
    long Updated,
    long Deleted,
    long Unchanged,
    long BytesCopied,
    TimeSpan Elapsed,
    bool DryRun,
    IReadOnlyList<TransferFailure> Failures)
{
    public long Failed => Failures.Count;
}
