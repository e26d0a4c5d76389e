using System.CommandLine;

namespace ObjectStorage.Cli.Commands;

/// <summary><c>objstore cp SRC_URL DST_URL [--prefix P]</c>: copy every object, overwriting, deleting nothing.</summary>
internal sealed class CpCommand : TransferCommand
{
    public CpCommand()
        : base("cp", "Copy every object (under a prefix) from one store to another, overwriting what the target has under the same keys. Compares and deletes nothing; see sync for that.",
            "objstore cp docs sqlite://objstore-demo.db",
            "objstore cp sqlite://objstore-demo.db zip:///tmp/docs.zip --prefix guides/")
    {
    }

    protected override SyncOptions Choose(ParseResult parse, SyncOptions shared) => shared with { Compare = SyncCompare.Always };
}
