using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace ObjectStorage;

/// <summary>What a path names, seen without following a symbolic link (lstat(2)).</summary>
internal enum FileKind
{
    /// <summary>Nothing: the name, or a directory on its way, does not exist.</summary>
    Missing,

    /// <summary>The file system would not say (permission denied on a directory, for one): the operation itself reports why.</summary>
    Unknown,

    Regular,
    Directory,
    Link,
    Fifo,
    CharacterDevice,
    BlockDevice,
    Socket,
}

/// <summary>
/// The type of a file as the disk stores need it. .NET reports neither a FIFO nor a device apart
/// from a regular file (both are <see cref="FileAttributes.Normal"/> with length 0), and opening a
/// FIFO to read blocks until a writer comes, so the type is read with lstat(2) through the
/// runtime's own native shim, whose <c>FileStatus</c> starts with its flags and the mode bits on
/// every Unix. Windows has none of these types; there the attributes say all there is.
/// </summary>
internal static class FileKinds
{
    private const int TypeMask = 0xF000;

    // Linux allows 40 links in one resolution (MAXSYMLINKS); more means a loop.
    private const int MaxLinks = 40;

    private static bool s_native = !OperatingSystem.IsWindows();

    /// <summary>The kind of <paramref name="path"/> itself: a link is <see cref="FileKind.Link"/>, whatever it points to.</summary>
    public static FileKind Of(string path)
    {
        if (s_native)
        {
            try
            {
                if (LStat(path, out var status) == 0) return FromMode(status.Mode);
                // ENOENT and ENOTDIR (2 and 20 on Linux and macOS alike): nothing there.
                return Marshal.GetLastPInvokeError() is 2 or 20 ? FileKind.Missing : FileKind.Unknown;
            }
            catch (Exception error) when (error is DllNotFoundException or EntryPointNotFoundException)
            {
                s_native = false;
            }
        }
        var info = new FileInfo(path);
        if (info.LinkTarget is not null) return FileKind.Link;
        if (Directory.Exists(path)) return FileKind.Directory;
        return info.Exists ? FileKind.Regular : FileKind.Missing;
    }

    /// <summary>The kind of the file open as <paramref name="handle"/>: what a path named when it was opened, whatever it names now.</summary>
    public static FileKind Of(SafeFileHandle handle)
    {
        if (s_native)
        {
            try
            {
                return FStat(handle, out var status) == 0 ? FromMode(status.Mode) : FileKind.Unknown;
            }
            catch (Exception error) when (error is DllNotFoundException or EntryPointNotFoundException)
            {
                s_native = false;
            }
        }
        return FileKind.Regular;
    }

    /// <summary>True for the kinds a store never treats as an object nor opens: FIFOs, devices and sockets.</summary>
    public static bool IsSpecial(this FileKind kind) => kind is FileKind.Fifo or FileKind.CharacterDevice or FileKind.BlockDevice or FileKind.Socket;

    /// <summary>The kind in words, for messages ("a FIFO (named pipe)").</summary>
    public static string Describe(this FileKind kind) => kind switch
    {
        FileKind.Fifo => "a FIFO (named pipe)",
        FileKind.CharacterDevice => "a character device",
        FileKind.BlockDevice => "a block device",
        FileKind.Socket => "a socket",
        FileKind.Link => "a symbolic link",
        FileKind.Directory => "a directory",
        FileKind.Regular => "a regular file",
        FileKind.Missing => "missing",
        _ => "of an unknown type",
    };

    /// <summary>
    /// The absolute path <paramref name="path"/> names with every symbolic link on it followed, as
    /// realpath(3) gives it, except that a missing tail is kept as written; null when following
    /// takes more than 40 links (a loop).
    /// </summary>
    public static string? Resolve(string path)
    {
        if (OperatingSystem.IsWindows())
            return File.ResolveLinkTarget(path, returnFinalTarget: true)?.FullName ?? Path.GetFullPath(path);
        // ".." is applied to the resolved path, not to the text: a lexical "a/link/.." is wrong when link is a link.
        var names = new Stack<string>();
        Push(names, Path.IsPathRooted(path) ? path : Path.Join(Environment.CurrentDirectory, path));
        var current = "/";
        int links = 0;
        while (names.TryPop(out var name))
        {
            if (name == ".") continue;
            if (name == "..")
            {
                current = Path.GetDirectoryName(current) ?? "/";
                continue;
            }
            var next = current == "/" ? "/" + name : current + "/" + name;
            if (Of(next) == FileKind.Link && new FileInfo(next).LinkTarget is { } target)
            {
                if (++links > MaxLinks) return null;
                Push(names, target);
                if (Path.IsPathRooted(target)) current = "/";
                continue;
            }
            current = next;
        }
        return current;
    }

    /// <summary>True when <paramref name="path"/> (resolved) is <paramref name="root"/> (resolved) or inside it.</summary>
    public static bool IsInside(string path, string root) =>
        path == root || (path.StartsWith(root, StringComparison.Ordinal) && path.Length > root.Length && path[root.Length] == '/');

    private static void Push(Stack<string> names, string path)
    {
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        for (int i = parts.Length - 1; i >= 0; i--) names.Push(parts[i]);
    }

    private static FileKind FromMode(int mode) => (mode & TypeMask) switch
    {
        0x8000 => FileKind.Regular,
        0x4000 => FileKind.Directory,
        0xA000 => FileKind.Link,
        0x1000 => FileKind.Fifo,
        0x2000 => FileKind.CharacterDevice,
        0x6000 => FileKind.BlockDevice,
        0xC000 => FileKind.Socket,
        _ => FileKind.Unknown,
    };

    // Only the first two fields are read; Size covers the whole of the shim's struct, which has
    // grown between runtime versions but never moved its first fields.
    [StructLayout(LayoutKind.Sequential, Size = 256)]
    private struct FileStatus
    {
        public int Flags;
        public int Mode;
    }

    [DllImport("libSystem.Native", EntryPoint = "SystemNative_LStat", SetLastError = true)]
    private static extern int LStat([MarshalAs(UnmanagedType.LPUTF8Str)] string path, out FileStatus status);

    [DllImport("libSystem.Native", EntryPoint = "SystemNative_FStat", SetLastError = true)]
    private static extern int FStat(SafeFileHandle handle, out FileStatus status);
}
