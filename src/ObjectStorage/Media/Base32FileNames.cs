using System.Text;

namespace ObjectStorage;

/// <summary>
/// The file names of the Python original's <c>SafeFilesystemStore</c> (its <c>FilesystemKeyTransformer</c>):
/// the key's UTF-8 bytes in RFC 4648 Base32 (alphabet A-Z2-7, upper case) with each '=' of padding
/// written '_', and a '_' in front of a name that would otherwise be a reserved Windows device name.
/// </summary>
public static class Base32FileNames
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    private static readonly HashSet<string> s_windowsReserved =
        ["CON", "PRN", "AUX", "NUL", .. Enumerable.Range(1, 9).SelectMany(static i => new[] { $"COM{i}", $"LPT{i}" })];

    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The file name the original gives <paramref name="key"/>.</summary>
    public static string ToName(string key)
    {
        var bytes = s_strictUtf8.GetBytes(key);
        var name = new StringBuilder((bytes.Length + 4) / 5 * 8);
        for (int i = 0; i < bytes.Length; i += 5)
        {
            int count = Math.Min(5, bytes.Length - i);
            ulong block = 0;
            for (int j = 0; j < 5; j++) block = (block << 8) | (j < count ? bytes[i + j] : 0u);
            int chars = (count * 8 + 4) / 5;
            for (int j = 0; j < 8; j++) name.Append(j < chars ? Alphabet[(int)(block >> (35 - 5 * j)) & 31] : '_');
        }
        var encoded = name.ToString();
        return s_windowsReserved.Contains(encoded.TrimEnd('_')) ? "_" + encoded : encoded;
    }

    /// <summary>The key a file name of the original stands for, or null when the name is not one it writes (so one key has one name).</summary>
    public static string? ToKey(string name)
    {
        var encoded = name.StartsWith('_') && s_windowsReserved.Contains(name[1..].TrimEnd('_')) ? name[1..] : name;
        if (encoded.Length == 0 || encoded.Length % 8 != 0) return null;
        var bytes = new List<byte>(encoded.Length / 8 * 5);
        for (int i = 0; i < encoded.Length; i += 8)
        {
            ulong block = 0;
            int chars = 0;
            for (int j = 0; j < 8; j++)
            {
                char c = encoded[i + j];
                int value = Alphabet.IndexOf(c, StringComparison.Ordinal);
                if (c == '_' && i + 8 == encoded.Length) value = 0;
                else if (value < 0 || chars < j) return null; // not Base32, or a letter after padding
                else chars++;
                block = (block << 5) | (uint)value;
            }
            int count = chars * 5 / 8;
            for (int j = 0; j < count; j++) bytes.Add((byte)(block >> (32 - 8 * j)));
        }
        string key;
        try
        {
            key = s_strictUtf8.GetString([.. bytes]);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
        return ObjectKey.FindBrokenRule(key, isPrefix: false) is null && ToName(key) == name ? key : null;
    }
}
