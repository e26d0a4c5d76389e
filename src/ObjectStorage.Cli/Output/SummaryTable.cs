using System.Globalization;
using Spectre.Console;

namespace ObjectStorage.Cli.Output;

/// <summary>The table <c>cp</c> and <c>sync</c> print when they are done.</summary>
internal static class SummaryTable
{
    public static void Write(string verb, string source, string target, SyncReport report, TimeSpan elapsed)
    {
        bool dry = report.DryRun;
        Console.Out.WriteLine($"{verb} {source} -> {target}" + (dry ? " (dry run: nothing changed)" : ""));
        var table = new Table()
            .AddColumn("")
            .AddColumn(new TableColumn("objects").RightAligned())
            .AddRow(dry ? "to copy (new)" : "copied (new)", Units.Count(report.Copied))
            .AddRow(dry ? "to update" : "updated", Units.Count(report.Updated))
            .AddRow(dry ? "to delete" : "deleted", Units.Count(report.Deleted))
            .AddRow("unchanged", Units.Count(report.Unchanged))
            .AddRow("only in target, kept", Units.Count(report.Extraneous))
            .AddRow("failed", Units.Count(report.Failures.Count))
            .AddRow("skipped by a listing", Units.Count(report.Skipped.Count));
        AnsiConsole.Write(table);
        double rate = report.BytesCopied / Math.Max(elapsed.TotalSeconds, 1e-3);
        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{Units.Bytes(report.BytesCopied)} {(dry ? "to copy" : "copied")} in {Units.Duration(elapsed)} ({Units.Rate(rate)})"));
    }
}
