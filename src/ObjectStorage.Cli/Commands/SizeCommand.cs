using System.CommandLine;
using ObjectStorage.Cli.Options;
using ObjectStorage.Cli.Output;

namespace ObjectStorage.Cli.Commands;

/// <summary>
/// <c>objstore size URL</c> (objects and bytes in all, rclone's <c>size</c>) and <c>objstore du URL</c>
/// (the same for each first-level folder and object under the prefix, as <c>du -s *</c>): one
/// listing, read as it streams; no object body is read.
/// </summary>
internal sealed class SizeCommand : StoreCommand
{
    private readonly bool _byFolder;
    private readonly Argument<string> _url = UrlArgument();
    private readonly Option<string> _prefix = PrefixOption("Only keys that start with this (du: its folders are the first level below it)");
    private readonly SelectionOptions _selection = new();

    private SizeCommand(bool byFolder, string name, string description, params string[] examples)
        : base(name, description, examples)
    {
        _byFolder = byFolder;
        Arguments.Add(_url);
        Options.Add(_prefix);
        _selection.AddTo(this);
    }

    /// <summary>The <c>size</c> command: totals only.</summary>
    public static SizeCommand Total() => new(false, "size", "Count the objects and bytes a store holds (under a prefix, through filters), from its listing.",
        "objstore size s3://my-bucket/photos",
        "objstore size ./data --include '*.log' --min-age 30d --json");

    /// <summary>The <c>du</c> command: totals per first-level folder.</summary>
    public static SizeCommand PerFolder() => new(true, "du", "Count objects and bytes per first-level folder (and per object at that level) under a prefix, as 'du -s *' does, then the total.",
        "objstore du sqlite://objstore-demo.db",
        "objstore du s3://my-bucket --prefix logs/2026/ --json");

    protected override async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var prefix = parse.GetValue(_prefix) ?? "";
        ObjectKey.ValidatePrefix(prefix);
        var filter = _selection.Filter(parse);
        bool json = WantsJson(parse);
        await using var store = Stores.Open(parse.GetRequiredValue(_url), StoreAccess.Read);

        var entries = new List<FolderUsage>();
        FolderUsage? current = null;
        long objects = 0, bytes = 0;
        var now = DateTimeOffset.UtcNow;
        await foreach (var info in store.ListAsync(prefix, cancellationToken))
        {
            if (filter?.Matches(info, now) == false) continue;
            objects++;
            bytes += info.Size;
            if (!_byFolder) continue;
            // Keys that share a folder are neighbours in the listing's order, so a folder is done when the next key is elsewhere.
            var name = FirstLevel(info.Key, prefix);
            if (current is not null && current.Name != name)
            {
                Emit(current, json, entries);
                current = null;
            }
            current = current is null ? new FolderUsage(name, 1, info.Size) : current with { Objects = current.Objects + 1, Bytes = current.Bytes + info.Size };
        }
        if (current is not null) Emit(current, json, entries);

        if (json)
        {
            if (_byFolder) Json.Write(new FolderSizeDocument(prefix, objects, bytes, entries), Json.Context.FolderSizeDocument);
            else Json.Write(new SizeDocument(prefix, objects, bytes), Json.Context.SizeDocument);
        }
        else if (_byFolder) Console.Out.WriteLine($"{Units.Bytes(bytes),10}  {Units.Count(objects),9}  (total)");
        else Console.Out.WriteLine($"{Units.Objects(objects)}, {Units.Bytes(bytes)} ({Units.Count(bytes)} bytes)");
        return ExitCodes.Ok;
    }

    private static string FirstLevel(string key, string prefix)
    {
        int slash = key.IndexOf('/', prefix.Length);
        return slash < 0 ? key : key[..(slash + 1)];
    }

    // Text goes out as each folder ends, so a large store shows its first folders early.
    private static void Emit(FolderUsage usage, bool json, List<FolderUsage> entries)
    {
        if (json) entries.Add(usage);
        else Console.Out.WriteLine($"{Units.Bytes(usage.Bytes),10}  {Units.Count(usage.Objects),9}  {ObjectKey.Quote(usage.Name)}");
    }
}
