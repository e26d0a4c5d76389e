using System.Runtime.InteropServices;

namespace ObjectStorage.Tests.Support;

/// <summary>
/// Linux extended attributes of files, read and set by path through libc, independently of the
/// store's own calls, so a test sees what is really on the disk.
/// </summary>
public static class UserAttributes
{
    private const int ENODATA = 61;

    /// <summary>The value of <paramref name="name"/> on the file at <paramref name="path"/> (not following a link), or null when it has none.</summary>
    public static byte[]? Get(string path, string name)
    {
        var buffer = new byte[65536];
        var length = LGetXAttr(path, name, buffer, (nuint)buffer.Length);
        if (length >= 0) return buffer[..(int)length];
        int errno = Marshal.GetLastPInvokeError();
        return errno == ENODATA ? null : throw new IOException($"lgetxattr {path} {name}: {Marshal.GetPInvokeErrorMessage(errno)}");
    }

    /// <summary>Sets <paramref name="name"/> on the file at <paramref name="path"/> to <paramref name="value"/>.</summary>
    public static void Set(string path, string name, byte[] value)
    {
        if (SetXAttr(path, name, value, (nuint)value.Length, 0) != 0)
            throw new IOException($"setxattr {path} {name}: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
    }

    /// <summary>True when files in <paramref name="directory"/> can carry user attributes: Linux, and a file system that keeps them.</summary>
    public static bool Supported(string directory)
    {
        if (!OperatingSystem.IsLinux()) return false;
        var probe = Path.Combine(directory, $"xattr-probe-{Guid.NewGuid():N}");
        File.WriteAllBytes(probe, []);
        try
        {
            return SetXAttr(probe, "user.probe", [1], 1, 0) == 0;
        }
        finally
        {
            File.Delete(probe);
        }
    }

    [DllImport("libc", EntryPoint = "lgetxattr", SetLastError = true)]
    private static extern nint LGetXAttr([MarshalAs(UnmanagedType.LPUTF8Str)] string path, [MarshalAs(UnmanagedType.LPUTF8Str)] string name, byte[] value, nuint size);

    [DllImport("libc", EntryPoint = "setxattr", SetLastError = true)]
    private static extern int SetXAttr([MarshalAs(UnmanagedType.LPUTF8Str)] string path, [MarshalAs(UnmanagedType.LPUTF8Str)] string name, byte[] value, nuint size, int flags);
}
