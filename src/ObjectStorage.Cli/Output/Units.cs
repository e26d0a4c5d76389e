using System.Globalization;

namespace ObjectStorage.Cli.Output;

/// <summary>Sizes, rates and durations as people read them: "4.0 KiB", "12.5 MiB/s", "1m 05s".</summary>
internal static class Units
{
    private static readonly string[] s_units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];

    public static string Bytes(double bytes)
    {
        int unit = 0;
        while (Math.Abs(bytes) >= 1024 && unit < s_units.Length - 1)
        {
            bytes /= 1024;
            unit++;
        }
        return unit == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{bytes:0} B")
            : string.Create(CultureInfo.InvariantCulture, $"{bytes:0.0} {s_units[unit]}");
    }

    public static string Rate(double bytesPerSecond) => Bytes(bytesPerSecond) + "/s";

    public static string Duration(TimeSpan time) =>
        time.TotalSeconds < 10 ? string.Create(CultureInfo.InvariantCulture, $"{time.TotalSeconds:0.00}s")
        : time.TotalMinutes < 1 ? string.Create(CultureInfo.InvariantCulture, $"{time.TotalSeconds:0}s")
        : time.TotalHours < 1 ? string.Create(CultureInfo.InvariantCulture, $"{(int)time.TotalMinutes}m {time.Seconds:00}s")
        : string.Create(CultureInfo.InvariantCulture, $"{(int)time.TotalHours}h {time.Minutes:00}m");

    public static string Count(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>"1 object", "2,048 objects".</summary>
    public static string Objects(long n) => n == 1 ? "1 object" : $"{Count(n)} objects";
}
