using System.CommandLine;
using System.CommandLine.Parsing;

namespace ObjectStorage.Cli.Options;

/// <summary>
/// The options that choose objects, shared by sync, cp, mv, check, rm, size and du:
/// <c>--include</c> and <c>--exclude</c> globs (repeatable, tried in command-line order, the
/// first that matches decides, and with any <c>--include</c> everything unmatched is excluded),
/// <c>--min-size/--max-size</c> and <c>--min-age/--max-age</c>. They make an <see cref="ObjectFilter"/>.
/// </summary>
internal sealed class SelectionOptions
{
    private readonly Option<string[]> _include = new("--include")
    {
        Description = "Only keys matching this glob (repeatable; * within a segment, ** across, ?, [a-z], {a,b}; a leading / anchors at the key's start; see docs/cli.md)",
        Arity = ArgumentArity.ZeroOrMore,
    };
    private readonly Option<string[]> _exclude = new("--exclude")
    {
        Description = "Leave out keys matching this glob (repeatable; rules apply in command-line order, the first match decides)",
        Arity = ArgumentArity.ZeroOrMore,
    };
    private readonly Option<string?> _minSize = new("--min-size") { Description = "Only objects of at least this size (e.g. 100KiB, 1MB)" };
    private readonly Option<string?> _maxSize = new("--max-size") { Description = "Only objects of at most this size (e.g. 64KiB, 1GiB)" };
    private readonly Option<string?> _minAge = new("--min-age") { Description = "Only objects last modified at least this long ago (e.g. 30m, 7d)" };
    private readonly Option<string?> _maxAge = new("--max-age") { Description = "Only objects last modified at most this long ago (e.g. 1h, 2w)" };

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Options.Add(_include);
        command.Options.Add(_exclude);
        command.Options.Add(_minSize);
        command.Options.Add(_maxSize);
        command.Options.Add(_minAge);
        command.Options.Add(_maxAge);
    }

    /// <summary>The filter the command line asks for, or null when it asks for none; throws <see cref="ArgumentException"/> for a bad glob, size or age.</summary>
    public ObjectFilter? Filter(ParseResult parse)
    {
        var rules = Rules(parse);
        var filter = new ObjectFilter
        {
            Keys = rules.Count == 0 ? null : new KeyFilter(rules),
            MinSize = parse.GetValue(_minSize) is { } min ? UnitText.Size(min, "--min-size") : null,
            MaxSize = parse.GetValue(_maxSize) is { } max ? UnitText.Size(max, "--max-size") : null,
            MinAge = parse.GetValue(_minAge) is { } young ? UnitText.Duration(young, "--min-age") : null,
            MaxAge = parse.GetValue(_maxAge) is { } old ? UnitText.Duration(old, "--max-age") : null,
        };
        if (filter == new ObjectFilter()) return null;
        filter.Validate();
        return filter;
    }

    // The globs in the order they were typed: System.CommandLine gives each option's values apart,
    // so the order across --include and --exclude comes from the tokens.
    private List<KeyFilterRule> Rules(ParseResult parse)
    {
        var position = new Dictionary<Token, int>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < parse.Tokens.Count; i++) position[parse.Tokens[i]] = i;
        var ordered = new List<(int Position, KeyFilterRule Rule)>();
        foreach (var option in new[] { _include, _exclude })
        {
            if (parse.GetResult(option) is not { } result) continue;
            foreach (var token in result.Tokens)
                ordered.Add((position.TryGetValue(token, out int at) ? at : int.MaxValue, new KeyFilterRule(option == _include, token.Value)));
        }
        List<KeyFilterRule> rules = [.. ordered.OrderBy(static o => o.Position).Select(static o => o.Rule)];
        if (rules.Any(static r => r.Include)) rules.Add(new KeyFilterRule(false, "**"));
        return rules;
    }
}
