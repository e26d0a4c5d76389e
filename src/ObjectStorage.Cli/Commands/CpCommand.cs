using System.CommandLine;

namespace ObjectStorage.Cli.Commands;

/// <summary><c>objstore cp SRC_URL DST_URL ([--prefix P] [filters] | --key K [--to K2])</c>: copy every object (or one), overwriting, deleting nothing.</summary>
internal sealed class CpCommand : TransferCommand
{
    public CpCommand()
        : base("cp", "Copy every object (under a prefix, through the filters), or one object with --key, from one store to another, overwriting what the target has under the same keys. " +
                     "Compares and deletes nothing; see sync for that.",
            singleObject: true,
            "objstore cp docs sqlite://objstore-demo.db",
            "objstore cp sqlite://objstore-demo.db zip:///tmp/docs.zip --prefix guides/ --exclude '*.draft.md'",
            "objstore cp s3://my-bucket/backups ./restore --key db/2026-11-26.tar",
            "objstore cp ./data s3://my-bucket --key report.pdf --to reports/2026/q3.pdf")
    {
    }

    protected override SyncOptions Choose(ParseResult parse, SyncOptions shared) => shared with { Compare = SyncCompare.Always };
}
