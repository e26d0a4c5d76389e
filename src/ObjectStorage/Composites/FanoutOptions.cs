namespace ObjectStorage;

/// <summary>How a <see cref="FanoutStore"/> reads and whom it disposes.</summary>
public sealed record FanoutOptions
{
    /// <summary>When a read finds the object in a later child, write it to the earlier children that lacked it. Off by default.</summary>
    public bool ReadRepair { get; init; }

    /// <summary>Disposing the fan-out disposes its children. On by default.</summary>
    public bool OwnsChildren { get; init; } = true;
}
