namespace ObjectStorage.Server;

/// <summary>S3's rules for bucket names, which path-style and virtual-host addressing both rely on.</summary>
internal static class BucketName
{
    public static bool IsValid(string? name)
    {
        if (name is null || name.Length is < 3 or > 63) return false;
        foreach (var c in name)
            if (!(c is >= 'a' and <= 'z' or >= '0' and <= '9' or '.' or '-')) return false;
        return char.IsAsciiLetterOrDigit(name[0]) && char.IsAsciiLetterOrDigit(name[^1]) && !name.Contains("..", StringComparison.Ordinal);
    }
}
