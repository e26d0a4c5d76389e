using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace ObjectStorage;

/// <summary>What reading an extended attribute found.</summary>
internal enum AttributeRead
{
    /// <summary>The value is in the buffer.</summary>
    Found,

    /// <summary>The file has no such attribute, or its file system keeps none (or the platform is not Linux).</summary>
    Absent,

    /// <summary>Nothing is at the path (any more).</summary>
    NoFile,

    /// <summary>The value is longer than the buffer.</summary>
    TooLong,
}

/// <summary>
/// Linux extended attributes in the <c>user.</c> namespace, through libc's <c>fsetxattr</c>,
/// <c>getxattr</c> and <c>lgetxattr</c>: small named values kept in a file's inode, so a value
/// set on a file before it is renamed into place appears with the file, and reading one costs a
/// single system call. Elsewhere (macOS has them with other signatures, Windows has none) every
/// file has none and none can be set.
/// </summary>
internal static class ExtendedAttributes
{
    // errno values of Linux (asm-generic), the only platform these calls are made on.
    private const int ENOENT = 2, ENOTDIR = 20, ERANGE = 34, ENODATA = 61, ENOTSUP = 95;

    private static bool s_available = OperatingSystem.IsLinux();

    /// <summary>
    /// Sets the attribute <paramref name="name"/> (UTF-8, ending in a zero byte) of the open file to
    /// <paramref name="value"/>; false when the file system or platform refuses user attributes.
    /// Throws <see cref="IOException"/> with the system's reason for any other failure (no space, quota).
    /// </summary>
    public static bool TrySet(SafeFileHandle file, ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        if (!s_available) return false;
        int result;
        try
        {
            // The marshaller passes the handle as a native int and keeps it open for the call; an fd
            // is an int, and both 64-bit Linux calling conventions read the low half of that register.
            result = FSetXAttr(file, in MemoryMarshal.GetReference(name), in MemoryMarshal.GetReference(value), (nuint)value.Length, flags: 0);
        }
        catch (Exception error) when (error is DllNotFoundException or EntryPointNotFoundException)
        {
            s_available = false;
            return false;
        }
        if (result == 0) return true;
        int errno = Marshal.GetLastPInvokeError();
        if (errno == ENOTSUP) return false;
        throw new IOException($"cannot set the extended attribute {Describe(name)} ({Marshal.GetPInvokeErrorMessage(errno)}, errno {errno})");
    }

    /// <summary>
    /// Reads the attribute <paramref name="name"/> (UTF-8, ending in a zero byte) of the file at
    /// <paramref name="path"/> into <paramref name="buffer"/>, following a symbolic link at the path
    /// only when <paramref name="followLinks"/>; <paramref name="length"/> is the value's length when
    /// found. Throws <see cref="IOException"/> with the system's reason for a failure other than those the result names.
    /// </summary>
    public static AttributeRead Get(string path, ReadOnlySpan<byte> name, Span<byte> buffer, bool followLinks, out int length)
    {
        length = 0;
        if (!s_available) return AttributeRead.Absent;
        nint result;
        try
        {
            result = followLinks
                ? GetXAttr(path, in MemoryMarshal.GetReference(name), ref MemoryMarshal.GetReference(buffer), (nuint)buffer.Length)
                : LGetXAttr(path, in MemoryMarshal.GetReference(name), ref MemoryMarshal.GetReference(buffer), (nuint)buffer.Length);
        }
        catch (Exception error) when (error is DllNotFoundException or EntryPointNotFoundException)
        {
            s_available = false;
            return AttributeRead.Absent;
        }
        if (result >= 0)
        {
            length = (int)result;
            return AttributeRead.Found;
        }
        int errno = Marshal.GetLastPInvokeError();
        return errno switch
        {
            ENODATA or ENOTSUP => AttributeRead.Absent,
            ENOENT or ENOTDIR => AttributeRead.NoFile,
            ERANGE => AttributeRead.TooLong,
            _ => throw new IOException($"cannot read the extended attribute {Describe(name)} of {path} ({Marshal.GetPInvokeErrorMessage(errno)}, errno {errno})"),
        };
    }

    private static string Describe(ReadOnlySpan<byte> name) => System.Text.Encoding.UTF8.GetString(name.TrimEnd((byte)0));

    [DllImport("libc", EntryPoint = "fsetxattr", SetLastError = true)]
    private static extern int FSetXAttr(SafeFileHandle fd, in byte name, in byte value, nuint size, int flags);

    [DllImport("libc", EntryPoint = "getxattr", SetLastError = true)]
    private static extern nint GetXAttr([MarshalAs(UnmanagedType.LPUTF8Str)] string path, in byte name, ref byte value, nuint size);

    [DllImport("libc", EntryPoint = "lgetxattr", SetLastError = true)]
    private static extern nint LGetXAttr([MarshalAs(UnmanagedType.LPUTF8Str)] string path, in byte name, ref byte value, nuint size);
}
