using System.Globalization;
using ObjectStorage.Cli.Transfer;
using Spectre.Console;

namespace ObjectStorage.Cli.Output;

/// <summary>The table <c>cp</c> and <c>sync</c> print when they are done.</summary>
internal static class SummaryTable
{
    public static void Write(string verb, string source, string target, TransferSummary summary)
    {
        double rate = summary.BytesCopied / Math.Max(summary.Elapsed.TotalSeconds, 1e-3);
        Console.Out.WriteLine($"{verb} {source} -> {target}" + (summary.DryRun ? " (dry run: nothing changed)" : ""));
        var table = new Table()
            .AddColumn("")
            .AddColumn(new TableColumn("objects").RightAligned())
            .AddRow(summary.DryRun ? "to copy (new)" : "copied (new)", Units.Count(summary.Copied))
            .AddRow(summary.DryRun ? "to update" : "updated", Units.Count(summary.Updated))
            .AddRow(summary.DryRun ? "to delete" : "deleted", Units.Count(summary.Deleted))
            .AddRow("unchanged", Units.Count(summary.Unchanged))
            .AddRow("failed", Units.Count(summary.Failed));
        AnsiConsole.Write(table);
        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{Units.Bytes(summary.BytesCopied)} {(summary.DryRun ? "to copy" : "copied")} in {Units.Duration(summary.Elapsed)} ({Units.Rate(rate)})"));
    }
}
