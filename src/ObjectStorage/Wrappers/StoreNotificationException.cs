namespace ObjectStorage;

/// <summary>
/// One or more handlers of a <see cref="NotifyingStore"/> threw after a put or delete; the change
/// itself stands (or failed with <see cref="OperationError"/>). The handlers' exceptions are the
/// <see cref="AggregateException.InnerExceptions"/> of <see cref="Exception.InnerException"/>.
/// </summary>
public sealed class StoreNotificationException : Exception
{
    /// <summary>Handlers of <paramref name="store"/> threw <paramref name="failures"/> after a <paramref name="kind"/> of <paramref name="keys"/>.</summary>
    public StoreNotificationException(string store, StoreChangeKind kind, IReadOnlyList<string> keys, Exception? operationError, IReadOnlyList<Exception> failures)
        : base($"{store}: {failures.Count} change handler(s) threw after the {kind.ToString().ToLowerInvariant()} of " +
            $"{(keys.Count == 1 ? "key " + ObjectKey.Describe(keys[0]) : keys.Count + " keys")}" +
            (operationError is null ? " (the change was made)" : $", which itself failed: {operationError.Message}") + $": {failures[0].Message}",
            new AggregateException(failures))
    {
        Store = store;
        Kind = kind;
        Keys = keys;
        OperationError = operationError;
    }

    /// <summary>A description of the store whose handlers threw.</summary>
    public string Store { get; }

    /// <summary>The operation the handlers were told about.</summary>
    public StoreChangeKind Kind { get; }

    /// <summary>The keys the operation reached.</summary>
    public IReadOnlyList<string> Keys { get; }

    /// <summary>The operation's own exception when it failed too; null when the change was made.</summary>
    public Exception? OperationError { get; }
}
