using System.Globalization;
using System.Text;
using System.Text.Json;
using ScottPlot;

// Renders the charts of docs/benchmarks.md from the results that bench/run-all.sh leaves in bench/results:
//   dotnet run -c Release --project bench/ObjectStorage.Charts -- bench/results docs
// Reads BenchmarkDotNet's JSON reports (BenchmarkDotNet.Artifacts/results/*-report*.json) and the harnesses' CSV
// files; writes docs/bench-*.svg, and bench/results/tables.md with the derived tables (throughput, time per key).
var results = args.Length > 0 ? args[0] : "bench/results";
var docs = args.Length > 1 ? args[1] : "docs";
var rows = Bdn.Load(Path.Combine(results, "BenchmarkDotNet.Artifacts", "results"));
var tables = new StringBuilder();
Console.WriteLine($"{rows.Count} benchmark results from {results}");

// ---- Throughput against object size ----
var sizeRows = rows.Where(r => r.Type is "SmallObjectSizeBenchmarks" or "LargeObjectSizeBenchmarks").ToList();
if (sizeRows.Count > 0)
{
    foreach (var op in new[] { "put", "get" })
    {
        var plot = new Plot();
        var series = sizeRows.Where(r => r.Method.EndsWith("_" + op, StringComparison.Ordinal) || r.Method.EndsWith("_" + op + "_and_flush", StringComparison.Ordinal))
            .GroupBy(r => r.Method).OrderBy(g => g.Key.StartsWith("Raw", StringComparison.Ordinal) ? 0 : 1).ThenBy(g => g.Key);
        tables.AppendLine(CultureInfo.InvariantCulture, $"### Throughput, {op} (MB/s = 10^6 bytes per second; SQLite's 1 GiB column is 999,000,000 bytes)");
        tables.AppendLine();
        var sizes = sizeRows.Select(r => r.Param("Size")).Distinct().Order().ToArray();
        tables.AppendLine("| Method | " + string.Join(" | ", sizes.Select(Bdn.SizeName)) + " |");
        tables.AppendLine("|---|" + string.Concat(sizes.Select(_ => "---:|")));
        foreach (var group in series)
        {
            var points = group.OrderBy(r => r.Param("Size")).ToArray();
            var xs = points.Select(r => Math.Log2(r.Param("Size"))).ToArray();
            var ys = points.Select(r => Math.Log10(Bdn.Bytes(r) / (r.MeanNs / 1e9) / 1e6)).ToArray();
            var line = plot.Add.Scatter(xs, ys);
            line.LegendText = group.Key;
            Style(line, group.Key);
            tables.AppendLine($"| {group.Key} | " + string.Join(" | ", sizes.Select(s =>
            {
                var r = points.FirstOrDefault(p => p.Param("Size") == s);
                return r is null ? "" : string.Create(CultureInfo.InvariantCulture, $"{Bdn.Bytes(r) / (r.MeanNs / 1e9) / 1e6:N0}");
            })) + " |");
        }
        tables.AppendLine();
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            sizes.Select(s => Math.Log2(s)).ToArray(), sizes.Select(Bdn.SizeName).ToArray());
        LogY(plot);
        plot.Title($"{(op == "put" ? "Put from a stream" : "Get through a stream")}: throughput against object size");
        plot.XLabel("object size");
        plot.YLabel("MB/s, log scale (higher is better)");
        plot.ShowLegend(Edge.Right);
        Save(plot, $"bench-throughput-{op}.svg");
    }
}

// ---- Time per key against key count ----
var listRows = rows.Where(r => r.Type == "ScalingListBenchmarks").ToList();
if (listRows.Count > 0)
{
    var plot = new Plot();
    var counts = listRows.Select(r => r.Param("Keys")).Distinct().Order().ToArray();
    tables.AppendLine("### Listing: time per key (ns)");
    tables.AppendLine();
    tables.AppendLine("| Method | " + string.Join(" | ", counts.Select(c => c.ToString("N0", CultureInfo.InvariantCulture))) + " |");
    tables.AppendLine("|---|" + string.Concat(counts.Select(_ => "---:|")));
    foreach (var group in listRows.GroupBy(r => r.Method).OrderBy(g => g.Key.StartsWith("Raw", StringComparison.Ordinal) ? 0 : 1).ThenBy(g => g.Key))
    {
        var points = group.OrderBy(r => r.Param("Keys")).ToArray();
        var line = plot.Add.Scatter(points.Select(r => Math.Log10(r.Param("Keys"))).ToArray(), points.Select(r => r.MeanNs / r.Param("Keys")).ToArray());
        line.LegendText = group.Key;
        Style(line, group.Key);
        tables.AppendLine($"| {group.Key} | " + string.Join(" | ", counts.Select(c =>
        {
            var r = points.FirstOrDefault(p => p.Param("Keys") == c);
            return r is null ? "" : (r.MeanNs / c).ToString("N0", CultureInfo.InvariantCulture);
        })) + " |");
    }
    tables.AppendLine();
    plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
        counts.Select(c => Math.Log10(c)).ToArray(), counts.Select(c => c.ToString("N0", CultureInfo.InvariantCulture)).ToArray());
    plot.Axes.SetLimitsY(0, double.NaN);
    plot.Title("Listing every key: time per key against key count (flat is good)");
    plot.XLabel("keys in the store");
    plot.YLabel("ns per key (lower is better)");
    plot.ShowLegend(Edge.Right);
    Save(plot, "bench-list-time-per-key.svg");
}

// ---- Peak memory of listings ----
var memoryCsv = Path.Combine(results, "list-memory.csv");
if (File.Exists(memoryCsv))
{
    var memory = File.ReadAllLines(memoryCsv).Skip(1).Select(l => l.Split(',')).Select(f =>
        (Store: f[0], Keys: long.Parse(f[1], CultureInfo.InvariantCulture), Open: long.Parse(f[2], CultureInfo.InvariantCulture), Peak: long.Parse(f[3], CultureInfo.InvariantCulture))).ToList();
    var plot = new Plot();
    foreach (var group in memory.GroupBy(m => m.Store))
    {
        var points = group.OrderBy(m => m.Keys).ToArray();
        var line = plot.Add.Scatter(points.Select(m => Math.Log10(m.Keys)).ToArray(), points.Select(m => (m.Open + m.Peak) / 1048576.0).ToArray());
        line.LegendText = group.Key;
    }
    var counts = memory.Select(m => m.Keys).Distinct().Order().ToArray();
    plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
        counts.Select(c => Math.Log10(c)).ToArray(), counts.Select(c => c.ToString("N0", CultureInfo.InvariantCulture)).ToArray());
    plot.Title("Listing every key: peak live managed heap (open store + listing)");
    plot.XLabel("keys in the store");
    plot.YLabel("MiB (lower is better)");
    plot.ShowLegend(Edge.Right);
    Save(plot, "bench-list-memory.svg");
}

// ---- Concurrency ----
var concurrencyRows = rows.Where(r => r.Type == "ConcurrencyBenchmarks").ToList();
if (concurrencyRows.Count > 0)
{
    foreach (var op in new[] { "put", "get" })
    {
        var plot = new Plot();
        var tasks = concurrencyRows.Select(r => r.Param("Tasks")).Distinct().Order().ToArray();
        tables.AppendLine(CultureInfo.InvariantCulture, $"### Concurrency, {op} 4 KiB: operations per second");
        tables.AppendLine();
        tables.AppendLine("| Method | " + string.Join(" | ", tasks.Select(t => $"{t} task{(t == 1 ? "" : "s")}")) + " |");
        tables.AppendLine("|---|" + string.Concat(tasks.Select(_ => "---:|")));
        foreach (var group in concurrencyRows.Where(r => r.Method.EndsWith("_" + op, StringComparison.Ordinal)).GroupBy(r => r.Method)
                     .OrderBy(g => g.Key.StartsWith("Raw", StringComparison.Ordinal) ? 0 : 1).ThenBy(g => g.Key))
        {
            var points = group.OrderBy(r => r.Param("Tasks")).ToArray();
            var line = plot.Add.Scatter(points.Select(r => (double)r.Param("Tasks")).ToArray(), points.Select(r => Math.Log10(1e9 / r.MeanNs)).ToArray());
            line.LegendText = group.Key;
            Style(line, group.Key);
            tables.AppendLine($"| {group.Key} | " + string.Join(" | ", tasks.Select(t =>
            {
                var r = points.FirstOrDefault(p => p.Param("Tasks") == t);
                return r is null ? "" : (1e9 / r.MeanNs).ToString("N0", CultureInfo.InvariantCulture);
            })) + " |");
        }
        tables.AppendLine();
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            tasks.Select(t => (double)t).ToArray(), tasks.Select(t => t.ToString(CultureInfo.InvariantCulture)).ToArray());
        LogY(plot);
        plot.Title($"{op} of 4 KiB objects from N tasks (2 cores)");
        plot.XLabel("tasks");
        plot.YLabel("operations per second, log scale (higher is better)");
        plot.ShowLegend(Edge.Right);
        Save(plot, $"bench-concurrency-{op}.svg");
    }
}

// ---- StoreSync against rclone ----
var syncCsv = Path.Combine(results, "sync.csv");
if (File.Exists(syncCsv))
{
    var sync = File.ReadAllLines(syncCsv).Skip(1).Select(l => l.Split("\",")).Select(f =>
        (Name: f[0].Trim('"'), Median: double.Parse(f[1].Split(',')[0], CultureInfo.InvariantCulture))).ToArray();
    var plot = new Plot();
    var bars = plot.Add.Bars(sync.Select(s => s.Median).ToArray());
    for (int i = 0; i < bars.Bars.Count; i++) bars.Bars[i].Label = sync[i].Median.ToString("F1", CultureInfo.InvariantCulture) + " s";
    bars.ValueLabelStyle.FontSize = 12;
    plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
        Enumerable.Range(0, sync.Length).Select(i => (double)i).ToArray(), sync.Select(s => s.Name).ToArray());
    bars.Horizontal = true;
    plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
        Enumerable.Range(0, sync.Length).Select(i => (double)i).ToArray(), sync.Select(s => s.Name).ToArray());
    plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic();
    plot.Axes.SetLimitsX(0, sync.Max(s => s.Median) * 1.15);
    plot.Title("10,000 small files into s3rver: median wall time");
    plot.XLabel("seconds (lower is better)");
    Save(plot, "bench-sync.svg", width: 900, height: 360);
}

File.WriteAllText(Path.Combine(results, "tables.md"), tables.ToString());
Console.WriteLine($"tables: {Path.Combine(results, "tables.md")}");

// A log10 scale on the left axis: the values were plotted as their log10.
static void LogY(Plot plot)
{
    plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
    {
        MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
        LabelFormatter = y => RoundTo2(Math.Pow(10, y)).ToString("N0", CultureInfo.InvariantCulture),
    };
}

static double RoundTo2(double value)
{
    if (value <= 0) return value;
    double scale = Math.Pow(10, Math.Floor(Math.Log10(value)) - 1);
    return Math.Round(value / scale) * scale;
}

// The raw baseline: thick and black, so the stores read against it.
static void Style(ScottPlot.Plottables.Scatter line, string method)
{
    if (!method.StartsWith("Raw", StringComparison.Ordinal)) return;
    line.LineWidth = 4;
    line.Color = Colors.Black;
}

void Save(Plot plot, string name, int width = 960, int height = 500)
{
    var path = Path.Combine(docs, name);
    plot.SaveSvg(path, width, height);
    if (Environment.GetEnvironmentVariable("CHARTS_PNG") == "1") plot.SavePng(Path.ChangeExtension(path, ".png"), width, height);
    Console.WriteLine($"chart: {path}");
}

/// <summary>One benchmark's result from BenchmarkDotNet's JSON report.</summary>
internal sealed record Bdn(string Type, string Method, string Parameters, double MeanNs, long Allocated)
{
    public long Param(string name)
    {
        foreach (var pair in Parameters.Split('&'))
        {
            var parts = pair.Split('=');
            if (parts.Length == 2 && parts[0] == name) return long.Parse(parts[1], CultureInfo.InvariantCulture);
        }
        return 0;
    }

    // Bytes moved by one operation of a size benchmark: SQLite's largest is 999,000,000 (its row limit).
    public static double Bytes(Bdn row) => row.Method.StartsWith("Sqlite", StringComparison.Ordinal) ? Math.Min(row.Param("Size"), 999_000_000) : row.Param("Size");

    public static string SizeName(long bytes) => bytes >= 1L << 30 ? $"{bytes >> 30} GiB" : bytes >= 1 << 20 ? $"{bytes >> 20} MiB" : $"{bytes >> 10} KiB";

    // The newest report of each class wins (run-all.sh may rerun a part).
    public static List<Bdn> Load(string directory)
    {
        var found = new Dictionary<string, Bdn>();
        if (!Directory.Exists(directory)) return [];
        foreach (var file in new DirectoryInfo(directory).GetFiles("*-report*.json").OrderBy(f => f.LastWriteTimeUtc))
        {
            using var json = JsonDocument.Parse(File.ReadAllText(file.FullName));
            foreach (var b in json.RootElement.GetProperty("Benchmarks").EnumerateArray())
            {
                if (!b.TryGetProperty("Statistics", out var stats) || stats.ValueKind != JsonValueKind.Object) continue;
                var row = new Bdn(b.GetProperty("Type").GetString()!, b.GetProperty("Method").GetString()!, b.GetProperty("Parameters").GetString() ?? "",
                    stats.GetProperty("Mean").GetDouble(),
                    b.TryGetProperty("Memory", out var memory) ? memory.GetProperty("BytesAllocatedPerOperation").GetInt64() : 0);
                found[$"{row.Type}.{row.Method}({row.Parameters})"] = row;
            }
        }
        return [.. found.Values];
    }
}
