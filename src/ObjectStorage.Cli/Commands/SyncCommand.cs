using System.CommandLine;
using ObjectStorage.Cli.Transfer;

namespace ObjectStorage.Cli.Commands;

/// <summary><c>objstore sync SRC_URL DST_URL [--delete] [--dry-run] [--parallel N] [--compare ...]</c>.</summary>
internal sealed class SyncCommand : TransferCommand
{
    private readonly Option<bool> _delete = new("--delete") { Description = "Also delete target keys that the source lacks" };
    private readonly Option<string> _compare = new("--compare")
    {
        Description = "When an object on both sides is copied again: 'size' (sizes differ; reads no bodies) or 'content' (sizes or bytes differ)",
        DefaultValueFactory = _ => "size",
    };

    public SyncCommand()
        : base("sync", "Make the target hold what the source holds: copy missing and changed objects, optionally delete extras. A second run over unchanged stores copies nothing.",
            "objstore sync docs sqlite://objstore-demo.db",
            "objstore sync ./site s3://my-bucket/site --delete --parallel 16",
            "objstore sync sqlite://a.db sqlite://b.db --compare content --dry-run")
    {
        _compare.AcceptOnlyFromAmong("size", "content");
        Options.Add(_delete);
        Options.Add(_compare);
    }

    protected override TransferSettings Settings(ParseResult parse, TransferSettings shared) => shared with
    {
        DeleteExtraneous = parse.GetValue(_delete),
        Compare = parse.GetValue(_compare) == "content" ? CompareMode.Content : CompareMode.Size,
    };
}
