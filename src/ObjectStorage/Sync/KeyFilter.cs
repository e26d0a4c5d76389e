using System.Text;
using System.Text.RegularExpressions;

namespace ObjectStorage;

/// <summary>One rule of a <see cref="KeyFilter"/>: a glob and whether a key it matches is included or excluded.</summary>
/// <param name="Include">True for an include rule (rclone's <c>+</c>), false for an exclude rule (<c>-</c>).</param>
/// <param name="Pattern">The glob, in the syntax <see cref="KeyFilter"/> describes.</param>
public sealed record KeyFilterRule(bool Include, string Pattern)
{
    /// <summary>"+ pattern" or "- pattern", as in an rclone filter file.</summary>
    public override string ToString() => (Include ? "+ " : "- ") + Pattern;
}

/// <summary>
/// Selects keys by an ordered list of include and exclude globs; the first rule that matches a key
/// decides, and a key no rule matches is included (rclone's <c>--filter</c>).
/// </summary>
/// <remarks>
/// The glob syntax is the subset of rclone's that fits keys: <c>*</c> matches any run of characters
/// within one segment (no <c>/</c>), <c>**</c> any run across segments, <c>?</c> one character other
/// than <c>/</c>, <c>[abc]</c>, <c>[a-z]</c> and <c>[!a-z]</c> (or <c>[^a-z]</c>) one character of
/// (or, negated, not of) a set, <c>{a,b}</c> one of the alternatives (which may hold globs and nest),
/// and <c>\</c> takes the next character literally. A pattern that starts with <c>/</c> is anchored:
/// it must match the whole key from its start (the <c>/</c> itself is not part of the key). Any other
/// pattern matches the end of the key at a segment boundary, so <c>*.jpg</c> matches
/// <c>a.jpg</c> and <c>photos/2026/a.jpg</c>. A pattern that ends with <c>/</c> matches every key
/// under that folder (<c>logs/</c> is <c>logs/**</c>). Case matters. Not taken from rclone: regular
/// expressions (<c>{{...}}</c>), directory-only rules and the <c>!</c> reset rule.
/// </remarks>
public sealed class KeyFilter
{
    private readonly (bool Include, Regex Regex)[] _compiled;

    /// <summary>A filter of <paramref name="rules"/>, tried in order; throws <see cref="ArgumentException"/> naming a pattern that is not a valid glob.</summary>
    public KeyFilter(IEnumerable<KeyFilterRule> rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        Rules = [.. rules];
        _compiled = [.. Rules.Select(static r => (r.Include, Compile(r.Pattern)))];
    }

    /// <summary>The rules, in the order they are tried.</summary>
    public IReadOnlyList<KeyFilterRule> Rules { get; }

    /// <summary>Only the keys that match one of <paramref name="patterns"/> (rclone's <c>--include</c>: the rules, then an implied exclude of everything).</summary>
    public static KeyFilter Including(params IEnumerable<string> patterns) =>
        new([.. patterns.Select(static p => new KeyFilterRule(true, p)), new KeyFilterRule(false, "**")]);

    /// <summary>Every key except those that match one of <paramref name="patterns"/> (rclone's <c>--exclude</c>).</summary>
    public static KeyFilter Excluding(params IEnumerable<string> patterns) =>
        new(patterns.Select(static p => new KeyFilterRule(false, p)));

    /// <summary>True when the first rule that matches <paramref name="key"/> includes it, or no rule matches.</summary>
    public bool Matches(string key)
    {
        foreach (var (include, regex) in _compiled)
            if (regex.IsMatch(key)) return include;
        return true;
    }

    /// <summary>The rules as an rclone filter file would write them.</summary>
    public override string ToString() => string.Join("; ", Rules);

    // The glob as a regular expression over the whole key.
    private static Regex Compile(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        var glob = pattern;
        bool anchored = glob.StartsWith('/');
        if (anchored) glob = glob[1..];
        if (glob.Length == 0) throw Invalid(pattern, "it matches no key (empty)");
        if (glob.EndsWith('/') && !glob.EndsWith("\\/", StringComparison.Ordinal)) glob += "**";

        var regex = new StringBuilder(anchored ? @"\A" : @"(?:\A|/)");
        int braces = 0;
        for (int i = 0; i < glob.Length; i++)
        {
            char c = glob[i];
            switch (c)
            {
                case '\\':
                    if (++i == glob.Length) throw Invalid(pattern, "it ends with a lone \\");
                    regex.Append(Regex.Escape(glob[i].ToString()));
                    break;
                case '*' when i + 1 < glob.Length && glob[i + 1] == '*':
                    regex.Append(".*");
                    i++;
                    break;
                case '*':
                    regex.Append("[^/]*");
                    break;
                case '?':
                    regex.Append("[^/]");
                    break;
                case '[':
                    i = AppendClass(pattern, glob, i, regex);
                    break;
                case '{':
                    braces++;
                    regex.Append("(?:");
                    break;
                case ',' when braces > 0:
                    regex.Append('|');
                    break;
                case '}' when braces > 0:
                    braces--;
                    regex.Append(')');
                    break;
                default:
                    regex.Append(Regex.Escape(c.ToString()));
                    break;
            }
        }
        if (braces > 0) throw Invalid(pattern, "a { is not closed by }");
        regex.Append(@"\z");
        // Non-backtracking: a key is at most 1,024 bytes, but a pattern of many stars must not make matching exponential.
        return new Regex(regex.ToString(), RegexOptions.CultureInvariant | RegexOptions.Singleline | RegexOptions.NonBacktracking);
    }

    // [set], [a-z], [!set] or [^set]; returns the index of the closing bracket.
    private static int AppendClass(string pattern, string glob, int open, StringBuilder regex)
    {
        int i = open + 1;
        bool negated = i < glob.Length && glob[i] is '!' or '^';
        if (negated) i++;
        var set = new StringBuilder();
        // A ] right after the opening (or its negation) is a member, as in shell globs.
        for (int first = i; i < glob.Length && (glob[i] != ']' || i == first); i++)
        {
            char c = glob[i];
            if (c == '\\' && i + 1 < glob.Length) c = glob[++i];
            if (c == '-' && set.Length > 0 && i + 1 < glob.Length && glob[i + 1] != ']') set.Append('-');
            else set.Append(c is '\\' or ']' or '[' or '^' or '-' ? "\\" + c : c.ToString());
        }
        if (i >= glob.Length) throw Invalid(pattern, "a [ is not closed by ]");
        // A negated set never matches the segment separator, as ? does not.
        regex.Append(negated ? "[^/" : "[").Append(set).Append(']');
        return i;
    }

    private static ArgumentException Invalid(string pattern, string why) =>
        new($"The filter pattern '{pattern}' is not a valid glob: {why}.", nameof(pattern));
}
