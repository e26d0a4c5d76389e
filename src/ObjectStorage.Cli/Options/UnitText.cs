using System.Globalization;
using System.Text.RegularExpressions;

namespace ObjectStorage.Cli.Options;

/// <summary>
/// Sizes and durations as people type them in options: <c>64KiB</c>, <c>1.5GiB</c>, <c>10MB</c>,
/// <c>4096</c>; <c>90s</c>, <c>15m</c>, <c>1h30m</c>, <c>7d</c>, <c>2w</c>. A bad value is an
/// <see cref="ArgumentException"/> that names the option and the forms it takes.
/// </summary>
internal static partial class UnitText
{
    // The IEC units (and rclone's single letters) are powers of 1024; KB, MB, GB, TB are powers of 1000, as on a disk's label.
    private static readonly Dictionary<string, long> s_sizeUnits = new(StringComparer.OrdinalIgnoreCase)
    {
        [""] = 1, ["B"] = 1,
        ["K"] = 1L << 10, ["KiB"] = 1L << 10, ["KB"] = 1000,
        ["M"] = 1L << 20, ["MiB"] = 1L << 20, ["MB"] = 1000_000,
        ["G"] = 1L << 30, ["GiB"] = 1L << 30, ["GB"] = 1000_000_000,
        ["T"] = 1L << 40, ["TiB"] = 1L << 40, ["TB"] = 1000_000_000_000,
    };

    private static readonly Dictionary<char, TimeSpan> s_timeUnits = new()
    {
        ['s'] = TimeSpan.FromSeconds(1),
        ['m'] = TimeSpan.FromMinutes(1),
        ['h'] = TimeSpan.FromHours(1),
        ['d'] = TimeSpan.FromDays(1),
        ['w'] = TimeSpan.FromDays(7),
    };

    /// <summary>Bytes from "64KiB", "1.5 GiB", "10MB" or "4096"; throws naming <paramref name="option"/>.</summary>
    public static long Size(string text, string option)
    {
        var match = SizePattern().Match(text);
        if (!match.Success || !s_sizeUnits.TryGetValue(match.Groups[2].Value, out long unit)
            || !decimal.TryParse(match.Groups[1].Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
            throw new ArgumentException($"{option} takes a size such as 4096, 64KiB, 1.5GiB or 10MB (KiB, MiB, GiB, TiB and K, M, G, T count in 1024s; KB, MB, GB, TB in 1000s), not '{text}'");
        var bytes = number * unit;
        if (bytes > long.MaxValue) throw new ArgumentException($"{option}: '{text}' is too large");
        return (long)Math.Round(bytes);
    }

    /// <summary>A time from "90s", "15m", "1h30m", "7d", "2w" or a number of seconds; throws naming <paramref name="option"/>.</summary>
    public static TimeSpan Duration(string text, string option)
    {
        var total = TimeSpan.Zero;
        var rest = text.Trim();
        if (double.TryParse(rest, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double seconds)) return TimeSpan.FromSeconds(seconds);
        var parts = DurationPattern().Matches(rest);
        if (rest.Length == 0 || parts.Sum(static p => p.Length) != rest.Length)
            throw new ArgumentException($"{option} takes a duration such as 90s, 15m, 1h30m, 7d or 2w (or a number of seconds), not '{text}'");
        foreach (Match part in parts)
            total += s_timeUnits[part.Groups[2].Value[0]] * double.Parse(part.Groups[1].Value, CultureInfo.InvariantCulture);
        return total;
    }

    [GeneratedRegex(@"\A\s*([0-9]+(?:\.[0-9]+)?)\s*([a-zA-Z]*)\s*\z")]
    private static partial Regex SizePattern();

    [GeneratedRegex(@"\G([0-9]+(?:\.[0-9]+)?)([smhdw])")]
    private static partial Regex DurationPattern();
}
