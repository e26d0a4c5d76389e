using System.CommandLine;
using ObjectStorage.Cli.Options;
using ObjectStorage.Cli.Output;

namespace ObjectStorage.Cli.Commands;

/// <summary>
/// <c>objstore check SRC_URL DST_URL [--one-way] [--size-only | --download]</c>: do two stores
/// hold the same objects? Lists each key on which they differ on stdout and exits 1 when any does.
/// </summary>
internal sealed class CheckCommand : StoreCommand
{
    private readonly Argument<string> _source = UrlArgument("SRC_URL", "The store to check");
    private readonly Argument<string> _target = UrlArgument("DST_URL", "The store to check it against");
    private readonly Option<string> _prefix = PrefixOption("Only keys that start with this, in both stores");
    private readonly Option<bool> _oneWay = new("--one-way") { Description = "Only what the target lacks or holds differently; keys only the target has are not differences" };
    private readonly Option<bool> _sizeOnly = new("--size-only") { Description = "Compare sizes only, not hashes" };
    private readonly Option<bool> _download = new("--download") { Description = "Compare objects of equal size byte by byte, reading both (finds every difference; reads everything)" };
    private readonly Option<int> _parallel = ParallelOption("Objects compared at once with --download");
    private readonly SelectionOptions _selection = new();

    public CheckCommand()
        : base("check", "Check that two stores hold the same objects: every key on which they differ is listed on stdout " +
                        "(missing in the target, missing in the source, differs) and the exit code is 1. Sizes are compared, then content hashes where " +
                        "both stores have the same kind (S3 and S3); otherwise sizes alone, which the summary says. Changes nothing.",
            "objstore check ./site s3://my-bucket/site",
            "objstore check sqlite://a.db sqlite://b.db --download",
            "objstore check ./photos zip:///backup/photos.zip --one-way --exclude '*.tmp' --json")
    {
        Arguments.Add(_source);
        Arguments.Add(_target);
        Options.Add(_prefix);
        Options.Add(_oneWay);
        Options.Add(_sizeOnly);
        Options.Add(_download);
        Options.Add(_parallel);
        _selection.AddTo(this);
    }

    protected override async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var sourceUrl = parse.GetRequiredValue(_source);
        var targetUrl = parse.GetRequiredValue(_target);
        if (parse.GetValue(_sizeOnly) && parse.GetValue(_download)) throw new ArgumentException("--size-only and --download exclude each other: choose one comparison");
        var options = new CheckOptions
        {
            Prefix = parse.GetValue(_prefix) ?? "",
            OneWay = parse.GetValue(_oneWay),
            Compare = parse.GetValue(_download) ? CheckCompare.Content : parse.GetValue(_sizeOnly) ? CheckCompare.Size : CheckCompare.SizeThenHash,
            Parallelism = Parallelism(parse, _parallel),
            Filter = _selection.Filter(parse),
        };
        ObjectKey.ValidatePrefix(options.Prefix);

        await using var source = Stores.Open(sourceUrl, StoreAccess.Read);
        await using var target = Stores.Open(targetUrl, StoreAccess.Read);
        var report = await StoreCheck.CheckAsync(source, target, options, cancellationToken);

        foreach (var failure in report.Failures)
            Console.Error.WriteLine($"objstore: check could not compare {ObjectKey.Quote(failure.Key)}: {failure.Error.Message}");
        foreach (var skipped in report.Skipped)
            Console.Error.WriteLine($"objstore: check: {skipped}");
        if (WantsJson(parse))
        {
            Json.Write(new CheckDocument(
                sourceUrl,
                targetUrl,
                report.Same,
                report.Matching,
                report.SizeOnly,
                report.MissingInTarget,
                report.MissingInSource,
                report.Differing,
                report.Differences.Select(static d => new CheckDifferenceEntry(d.Key, d.Kind)),
                report.Failures.Select(static f => new KeyErrorEntry(f.Key, f.Error.Message))),
                Json.Context.CheckDocument);
        }
        else
        {
            foreach (var difference in report.Differences) Console.Out.WriteLine($"{Describe(difference.Kind),-18} {ObjectKey.Quote(difference.Key)}");
            Console.Error.WriteLine(Summary(report, options));
        }
        return report.Same ? ExitCodes.Ok : ExitCodes.Failure;
    }

    private static string Describe(CheckDifferenceKind kind) => kind switch
    {
        CheckDifferenceKind.MissingInTarget => "missing in target",
        CheckDifferenceKind.MissingInSource => "missing in source",
        _ => "differs",
    };

    private static string Summary(CheckReport report, CheckOptions options)
    {
        var text = $"check: {Units.Count(report.Matching)} matching, {Units.Count(report.Differing)} differing, " +
                   $"{Units.Count(report.MissingInTarget)} missing in target" + (options.OneWay ? "" : $", {Units.Count(report.MissingInSource)} missing in source");
        if (report.Failures.Count > 0) text += $", {Units.Count(report.Failures.Count)} not compared";
        if (report.SizeOnly > 0) text += $"; {Units.Count(report.SizeOnly)} compared by size only (no common hash; --download compares bytes)";
        return text;
    }
}
