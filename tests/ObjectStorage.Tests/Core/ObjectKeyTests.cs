using System.Text;
using ObjectStorage.Tests.Support;

namespace ObjectStorage.Tests.Core;

public sealed class ObjectKeyTests
{
    public static TheoryData<string> InvalidKeys() => KeyCases.InvalidKeys();

    [Theory, MemberData(nameof(InvalidKeys))]
    public void Invalid_key_is_rejected_with_its_rule_and_the_key(string key)
    {
        var rule = KeyCases.Invalid.First(c => c.Key == key).Rule;
        var ex = Assert.Throws<InvalidKeyException>(() => ObjectKey.Validate(key));
        Assert.Contains(rule, ex.Message);
        Assert.Equal(key, ex.Key);
        Assert.Equal("key", ex.ParamName);
        Assert.False(ObjectKey.IsValid(key));
    }

    [Theory]
    [InlineData("a")]
    [InlineData("a/b/c")]
    [InlineData("...")]
    [InlineData(".hidden/..x/x..")]
    [InlineData("sp ace/tab-less/%2F/+")]
    [InlineData("😀/日本")]
    [InlineData("a//b")]
    [InlineData("/lead")]
    [InlineData("trail/")]
    [InlineData("..")]
    [InlineData("a/./b")]
    [InlineData("back\\slash")]
    [InlineData("new\nline\u001B\u202E")]
    [InlineData("/")]
    public void Valid_key_passes(string key)
    {
        ObjectKey.Validate(key);
        Assert.True(ObjectKey.IsValid(key));
    }

    [Fact]
    public void Length_limit_counts_UTF8_bytes_not_chars()
    {
        Assert.True(ObjectKey.IsValid(new string('x', 1024)));
        Assert.False(ObjectKey.IsValid(new string('x', 1025)));
        var emoji = string.Concat(Enumerable.Repeat("😀", 256)); // 512 chars, 1024 bytes
        Assert.Equal(1024, Encoding.UTF8.GetByteCount(emoji));
        Assert.True(ObjectKey.IsValid(emoji));
        Assert.False(ObjectKey.IsValid(emoji + "x"));
        Assert.Contains("1025", Assert.Throws<InvalidKeyException>(() => ObjectKey.Validate(emoji + "x")).Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("a")]
    [InlineData("a/")]
    [InlineData("a/b/")]
    [InlineData("a/.")]
    [InlineData("a/..")]
    [InlineData(".")]
    public void Valid_prefix_passes(string prefix) => ObjectKey.ValidatePrefix(prefix);

    [Theory]
    [InlineData("\0")]
    [InlineData("a/\0")]
    public void Invalid_prefix_is_rejected_naming_the_prefix_parameter(string prefix)
    {
        var ex = Assert.Throws<InvalidKeyException>(() => ObjectKey.ValidatePrefix(prefix));
        Assert.Equal("prefix", ex.ParamName);
    }

    [Fact]
    public void Messages_escape_control_characters_and_shorten_long_keys()
    {
        var message = Assert.Throws<InvalidKeyException>(() => ObjectKey.Validate("a\0b")).Message;
        Assert.Contains("a\\u0000b", message);
        Assert.DoesNotContain("\0", message, StringComparison.Ordinal);
        var longMessage = Assert.Throws<InvalidKeyException>(() => ObjectKey.Validate(new string('y', 5000))).Message;
        Assert.True(longMessage.Length < 400, longMessage);
        Assert.Contains("5000 chars", longMessage);
    }

    [Fact]
    public void A_prefix_with_an_unpaired_surrogate_is_rejected()
    {
        foreach (var prefix in new[] { "a\uD800", "\uDC00", "x/\uDBFF" })
            Assert.Contains("surrogate", Assert.Throws<InvalidKeyException>(() => ObjectKey.ValidatePrefix(prefix)).Message);
    }

    [Theory]
    [InlineData("plain/key.txt", "plain/key.txt")]
    [InlineData("emoji/😀 back\\slash", "emoji/😀 back\\slash")]
    [InlineData("a\nb", "\"a\\nb\"")]
    [InlineData("esc\u001B[31m", "\"esc\\e[31m\"")]
    [InlineData("bidi\u202Egnp.exe", "\"bidi\\u202Egnp.exe\"")]
    [InlineData("zw\u200B", "\"zw\\u200B\"")]
    [InlineData("sep\u2028", "\"sep\\u2028\"")]
    [InlineData("\"starts with a quote", "\"\\\"starts with a quote\"")]
    [InlineData("tab\there\\", "\"tab\\there\\\\\"")]
    public void Quote_leaves_printable_keys_alone_and_escapes_what_could_forge_a_line_or_drive_a_terminal(string key, string shown) =>
        Assert.Equal(shown, ObjectKey.Quote(key));

    [Fact]
    public void Quoted_keys_never_hold_a_control_or_invisible_character()
    {
        foreach (var key in KeyCases.RoundTrip.Concat(HostileKeys.All.Where(ObjectKey.IsValid)))
        {
            var shown = ObjectKey.Quote(key);
            Assert.DoesNotContain(shown, c => char.IsControl(c) || char.GetUnicodeCategory(c) is System.Globalization.UnicodeCategory.Format
                or System.Globalization.UnicodeCategory.LineSeparator or System.Globalization.UnicodeCategory.ParagraphSeparator);
        }
    }

    [Fact]
    public void Null_key_throws_ArgumentNull()
    {
        Assert.Throws<ArgumentNullException>(() => ObjectKey.Validate(null!));
        using var store = new DictStore();
        Assert.Throws<ArgumentNullException>(() => store.Get(null!));
    }
}
