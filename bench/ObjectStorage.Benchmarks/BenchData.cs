namespace ObjectStorage.Benchmarks;

/// <summary>Where the large benchmark data sets live between runs, and facts about the machine printed next to results.</summary>
internal static class BenchData
{
    /// <summary>
    /// Data sets that take minutes to create (a million files) are created once here and reused:
    /// OBJSTORE_BENCH_DATA, or /tmp/objstore-bench-data. Each set has a ".done" marker file beside it.
    /// </summary>
    public static string Root { get; } = Directory.CreateDirectory(
        Environment.GetEnvironmentVariable("OBJSTORE_BENCH_DATA") ?? Path.Combine(Path.GetTempPath(), "objstore-bench-data")).FullName;

    /// <summary>The 1, 5 and 15 minute load averages (Linux), or "?".</summary>
    public static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "?";
        }
    }

    /// <summary>A line of /proc/self/status in KiB (VmHWM: peak resident set; VmRSS: now), or -1.</summary>
    public static long StatusKiB(string field)
    {
        try
        {
            var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith(field + ":", StringComparison.Ordinal));
            return line is null ? -1 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return -1;
        }
    }
}
