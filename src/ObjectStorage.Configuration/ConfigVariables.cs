using System.Text.RegularExpressions;

namespace ObjectStorage;

/// <summary>
/// <c>${VAR}</c> and <c>${VAR:-default}</c> in configuration values, as the Python original resolves
/// them: the variable's value when it is set (an empty value counts as set), else the default, else
/// an error naming the variable. References may also sit inside a longer value (<c>s3://${BUCKET}/x</c>).
/// </summary>
internal static partial class ConfigVariables
{
    /// <summary>The value with every reference replaced; <paramref name="missing"/> makes the error for a variable that is unset and has no default.</summary>
    public static string Substitute(string value, Func<string, string?> lookup, Func<string, Exception> missing)
    {
        if (!value.Contains("${", StringComparison.Ordinal)) return value;
        return Reference().Replace(value, match =>
        {
            var name = match.Groups["name"].Value;
            if (lookup(name) is { } set) return set;
            if (match.Groups["default"].Success) return match.Groups["default"].Value;
            throw missing($"Environment variable '{name}' not found. Please set {name} or provide a default value using ${{{name}:-default}}");
        });
    }

    [GeneratedRegex(@"\$\{(?<name>[A-Za-z_][A-Za-z0-9_]*)(:-(?<default>[^}]*))?\}")]
    private static partial Regex Reference();
}
