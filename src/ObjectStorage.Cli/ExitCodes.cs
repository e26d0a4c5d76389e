namespace ObjectStorage.Cli;

/// <summary>The process exit codes of <c>objstore</c> (documented in docs/cli.md).</summary>
internal static class ExitCodes
{
    /// <summary>Everything asked for was done.</summary>
    public const int Ok = 0;

    /// <summary>The store or the local system failed (I/O, database, network), or some objects of a sync or copy failed.</summary>
    public const int Failure = 1;

    /// <summary>The request was wrong: bad URL, invalid key or prefix, bad option or argument, or an operation the store does not support (e.g. a write to a read-only zip).</summary>
    public const int BadInput = 2;

    /// <summary>A key, store or local file that must exist does not.</summary>
    public const int NotFound = 3;

    /// <summary>Interrupted (Ctrl+C or SIGTERM), as shells report SIGINT.</summary>
    public const int Cancelled = 130;

    /// <summary>Stdout was closed by its reader (EPIPE), as shells report a process ended by SIGPIPE; nothing is printed.</summary>
    public const int BrokenPipe = 141;
}
