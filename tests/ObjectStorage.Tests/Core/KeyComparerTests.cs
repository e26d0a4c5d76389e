using System.Text;

namespace ObjectStorage.Tests.Core;

public sealed class KeyComparerTests
{
    // The oracle: compare the UTF-8 bytes themselves.
    private static int ByBytes(string x, string y) =>
        Math.Sign(Encoding.UTF8.GetBytes(x).AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(y)));

    [Theory]
    [InlineData("a.b", "a/b")]
    [InlineData("a/b", "a0")]
    [InlineData("a", "a/b")]
    [InlineData("\uE000", "😀")]
    [InlineData("\uFFFF", "\U00010000")]
    [InlineData("Z", "a")]
    [InlineData("z", "é")]
    public void First_sorts_before_second_as_in_UTF8(string first, string second)
    {
        Assert.True(KeyComparer.Utf8.Compare(first, second) < 0);
        Assert.True(KeyComparer.Utf8.Compare(second, first) > 0);
        Assert.Equal(-1, ByBytes(first, second));
    }

    [Fact]
    public void Agrees_with_UTF8_byte_order_on_random_keys()
    {
        // Characters from every UTF-8 length class, with the U+E000..U+FFFF range where UTF-16 order differs.
        string[] pieces = ["a", "b", "/", ".", "0", "~", "é", "ÿ", "Ā", "中", "\uD7FF", "\uE000", "\uF8FF", "\uFFFD", "\uFFFF", "😀", "\U00010000", "\U0010FFFF"];
        var random = new Random(20261126);
        string Next() => string.Concat(Enumerable.Range(0, random.Next(0, 6)).Select(_ => pieces[random.Next(pieces.Length)]));
        for (int i = 0; i < 20000; i++)
        {
            string x = Next(), y = Next();
            Assert.True(ByBytes(x, y) == Math.Sign(KeyComparer.Utf8.Compare(x, y)), $"\"{x}\" vs \"{y}\"");
        }
    }

    [Fact]
    public void Equality_is_ordinal()
    {
        Assert.True(KeyComparer.Utf8.Equals("é", "é"));
        Assert.False(KeyComparer.Utf8.Equals("é", "e\u0301"));
        Assert.Equal(0, KeyComparer.Utf8.Compare("k", "k"));
        Assert.True(KeyComparer.Utf8.Compare(null, "a") < 0);
    }
}
