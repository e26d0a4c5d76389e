namespace ObjectStorage.Tests.Sync;

/// <summary>The glob subset of <see cref="KeyFilter"/>, rule by rule, against rclone's meaning of each.</summary>
public sealed class KeyFilterTests
{
    public static TheoryData<string, string, bool> Globs() => new()
    {
        // Unanchored: matches the end of the key at a segment boundary.
        { "*.jpg", "a.jpg", true },
        { "*.jpg", "photos/2026/a.jpg", true },
        { "*.jpg", "a.jpg.bak", false },
        { "b.txt", "ab.txt", false },
        { "b.txt", "a/b.txt", true },
        { "2026/*.jpg", "photos/2026/a.jpg", true },
        // * stays within a segment, ** crosses them.
        { "/photos/*", "photos/a.jpg", true },
        { "/photos/*", "photos/2026/a.jpg", false },
        { "/photos/**", "photos/2026/a.jpg", true },
        { "/**.log", "x/y/z.log", true },
        // ? is one character other than /.
        { "/a?c", "abc", true },
        { "/a?c", "a/c", false },
        { "/a?c", "abbc", false },
        // Character sets, ranges and negation; a negated set never matches /.
        { "/file[0-9].txt", "file7.txt", true },
        { "/file[0-9].txt", "fileA.txt", false },
        { "/file[!0-9].txt", "fileA.txt", true },
        { "/file[^0-9].txt", "file7.txt", false },
        { "/a[!x]b", "a/b", false },
        { "/[]]x", "]x", true },
        // Alternatives, with globs inside and nested.
        { "*.{jpg,png}", "a/b.png", true },
        { "*.{jpg,png}", "a/b.gif", false },
        { "/{docs,src/{a,b}}/**", "src/b/c.cs", true },
        { "/{docs,src/{a,b}}/**", "src/c/c.cs", false },
        // A leading / anchors at the start of the key.
        { "/top.txt", "top.txt", true },
        { "/top.txt", "sub/top.txt", false },
        // A trailing / is the whole folder.
        { "logs/", "logs/2026/x", true },
        { "logs/", "app/logs/x", true },
        { "/logs/", "app/logs/x", false },
        { "logs/", "logs", false },
        // Escapes and characters regular expressions would read.
        { @"/a\*b", "a*b", true },
        { @"/a\*b", "axb", false },
        { "/a+b(1).txt", "a+b(1).txt", true },
        { "/a.b", "axb", false },
        // Keys may hold newlines; * does not stop at them, only at /.
        { "/a*b", "a\nb", true },
        // Case matters.
        { "*.JPG", "a.jpg", false },
    };

    [Theory, MemberData(nameof(Globs))]
    public void Glob_matches_keys_as_rclone_patterns_do(string pattern, string key, bool matches) =>
        Assert.Equal(matches, KeyFilter.Including(pattern).Matches(key));

    [Fact]
    public void First_matching_rule_decides_and_an_unmatched_key_is_included()
    {
        var filter = new KeyFilter([new(true, "/keep/important.log"), new(false, "*.log"), new(true, "/keep/**"), new(false, "**")]);

        Assert.True(filter.Matches("keep/important.log"));
        Assert.False(filter.Matches("keep/other.log"));
        Assert.True(filter.Matches("keep/a.txt"));
        Assert.False(filter.Matches("elsewhere/a.txt"));
        Assert.True(new KeyFilter([new(false, "*.tmp")]).Matches("a.txt"));
    }

    [Fact]
    public void Including_excludes_everything_the_patterns_do_not_match()
    {
        var filter = KeyFilter.Including("*.jpg", "/docs/**");

        Assert.True(filter.Matches("x/y.jpg"));
        Assert.True(filter.Matches("docs/a/b.md"));
        Assert.False(filter.Matches("src/a.cs"));
        Assert.Equal("+ *.jpg; + /docs/**; - **", filter.ToString());
    }

    [Theory]
    [InlineData("/a[bc", "a [ is not closed by ]")]
    [InlineData("{a,b", "a { is not closed by }")]
    [InlineData(@"a\", "lone \\")]
    [InlineData("/", "empty")]
    public void Invalid_glob_is_refused_with_the_pattern_and_the_rule(string pattern, string rule)
    {
        var error = Assert.Throws<ArgumentException>(() => KeyFilter.Excluding(pattern));
        Assert.Contains($"'{pattern}'", error.Message);
        Assert.Contains(rule, error.Message);
    }

    [Fact]
    public void Size_and_age_bounds_are_inclusive_and_an_object_without_a_time_passes_no_age_bound()
    {
        var now = new DateTimeOffset(2026, 12, 3, 8, 0, 0, TimeSpan.Zero);
        var filter = new ObjectFilter { MinSize = 10, MaxSize = 20, MinAge = TimeSpan.FromHours(1), MaxAge = TimeSpan.FromDays(1) };

        Assert.True(filter.Matches(new ObjectInfo("a", 10, now.AddHours(-1)), now));
        Assert.True(filter.Matches(new ObjectInfo("a", 20, now.AddDays(-1)), now));
        Assert.False(filter.Matches(new ObjectInfo("a", 9, now.AddHours(-2)), now));
        Assert.False(filter.Matches(new ObjectInfo("a", 21, now.AddHours(-2)), now));
        Assert.False(filter.Matches(new ObjectInfo("a", 15, now.AddMinutes(-59)), now));
        Assert.False(filter.Matches(new ObjectInfo("a", 15, now.AddDays(-2)), now));
        Assert.False(filter.Matches(new ObjectInfo("a", 15, null), now));
        Assert.True(new ObjectFilter { MinSize = 10 }.Matches(new ObjectInfo("a", 15, null), now));
    }

    [Fact]
    public void Empty_size_range_is_refused_naming_both_bounds()
    {
        var error = Assert.Throws<ArgumentException>(() => new ObjectFilter { MinSize = 20, MaxSize = 10 }.Validate());
        Assert.Contains("(20)", error.Message);
        Assert.Contains("(10)", error.Message);
    }
}
