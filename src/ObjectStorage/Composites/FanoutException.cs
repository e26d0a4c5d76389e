namespace ObjectStorage;

/// <summary>
/// An operation of a <see cref="FanoutStore"/> failed on one or more of its children. Names each
/// child that failed (with its exception) and the children where the operation succeeded, so the
/// caller knows what state each replica is in.
/// </summary>
public sealed class FanoutException : ObjectStoreException
{
    /// <summary>The failure of <paramref name="operation"/> on <paramref name="key"/> in the fan-out <paramref name="store"/>: the children that failed and those that succeeded.</summary>
    public FanoutException(string store, string? key, string operation, IReadOnlyList<FanoutFailure> failures, IReadOnlyList<ObjectStore> succeeded)
        : base(store, key, Describe(operation, failures, succeeded), failures.Count == 1 ? failures[0].Error : new AggregateException(failures.Select(f => f.Error)))
    {
        Operation = operation;
        Failures = failures;
        Succeeded = succeeded;
    }

    /// <summary>The operation that failed.</summary>
    public string Operation { get; }

    /// <summary>Each child that failed, with its exception.</summary>
    public IReadOnlyList<FanoutFailure> Failures { get; }

    /// <summary>The children on which the operation succeeded.</summary>
    public IReadOnlyList<ObjectStore> Succeeded { get; }

    private static string Describe(string operation, IReadOnlyList<FanoutFailure> failures, IReadOnlyList<ObjectStore> succeeded)
    {
        var failed = string.Join("; ", failures.Select(f => $"{f.Child}: {f.Error.Message}"));
        var done = succeeded.Count == 0 ? "no child" : string.Join(", ", succeeded);
        return $"{operation} failed on {failures.Count} child store(s) [{failed}] and succeeded on {done}";
    }
}

/// <summary>One child of a <see cref="FanoutStore"/> and the exception it threw.</summary>
public sealed record FanoutFailure(ObjectStore Child, Exception Error);
