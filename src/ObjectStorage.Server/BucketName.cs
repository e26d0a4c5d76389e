namespace ObjectStorage.Server;

/// <summary>S3's rules for bucket names, which path-style and virtual-host addressing both rely on.</summary>
public static class BucketName
{
    /// <summary>Whether <paramref name="name"/> is 3 to 63 characters of a-z, 0-9, '.' and '-' that start and end with a letter or digit, without "..".</summary>
    public static bool IsValid(string? name)
    {
        if (name is null || name.Length is < 3 or > 63) return false;
        foreach (var c in name)
            if (!(c is >= 'a' and <= 'z' or >= '0' and <= '9' or '.' or '-')) return false;
        return char.IsAsciiLetterOrDigit(name[0]) && char.IsAsciiLetterOrDigit(name[^1]) && !name.Contains("..", StringComparison.Ordinal);
    }
}
