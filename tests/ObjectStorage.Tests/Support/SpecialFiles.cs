using System.Net.Sockets;

namespace ObjectStorage.Tests.Support;

/// <summary>
/// The files a store must never take for objects, made for real: FIFOs with mkfifo(1), sockets
/// bound by .NET, a character device with mknod(1) (root only), and symbolic links.
/// </summary>
public static class SpecialFiles
{
    public static void Fifo(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var failure = ExternalTool.Run("mkfifo", path);
        Assert.SkipWhen(failure is not null, failure ?? "");
    }

    /// <summary>A listening Unix socket at <paramref name="path"/>; the file stays after the socket is disposed.</summary>
    public static Socket Socket(string path)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(path));
        return socket;
    }

    /// <summary>A device node reading like /dev/zero (endless zeros): only the superuser can make one.</summary>
    public static void ZeroDevice(string path)
    {
        Assert.SkipUnless(Environment.IsPrivilegedProcess, "making a device node needs root; this process is not privileged");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var failure = ExternalTool.Run("mknod", path, "c", "1", "5");
        Assert.SkipWhen(failure is not null, failure ?? "");
    }

    public static void Link(string path, string target)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.CreateSymbolicLink(path, target);
    }

    /// <summary>
    /// Runs <paramref name="action"/> on its own thread and fails the test when it has not ended
    /// within <paramref name="seconds"/>. What blocks on opening a FIFO cannot be cancelled; so that
    /// the thread does not stay blocked, <paramref name="fifo"/> is then opened for writing.
    /// </summary>
    public static Exception? WithinSeconds(double seconds, Action action, string? fifo = null)
    {
        Exception? thrown = null;
        var thread = new Thread(() =>
        {
            try
            {
                action();
            }
            catch (Exception error)
            {
                thrown = error;
            }
        }) { IsBackground = true };
        thread.Start();
        if (thread.Join(TimeSpan.FromSeconds(seconds))) return thrown;
        if (fifo is not null) UnblockFifo(fifo);
        Assert.Fail($"the operation did not end within {seconds} s (it blocks)");
        return null;
    }

    /// <summary>Opens <paramref name="fifo"/> for writing and closes it, which ends a read blocked on opening it.</summary>
    private static void UnblockFifo(string fifo)
    {
        var opener = new Thread(() =>
        {
            try
            {
                using var writer = new FileStream(fifo, FileMode.Open, FileAccess.Write);
            }
            catch (IOException) { }
        }) { IsBackground = true };
        opener.Start();
        opener.Join(TimeSpan.FromSeconds(2));
    }
}
