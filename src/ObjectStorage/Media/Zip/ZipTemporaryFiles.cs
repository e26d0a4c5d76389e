using System.Collections.Concurrent;

namespace ObjectStorage.Zip;

/// <summary>
/// The archives being built right now, removed if the process exits before they are renamed into
/// place (a second Ctrl+C, SIGTERM, <see cref="Environment.Exit"/>), so that an interrupted write
/// leaves the previous archive and no temporary file. A killed process (SIGKILL, power loss) runs
/// no handler; its temporary file stays, named <c>.ARCHIVE.*.zipstore-tmp</c> beside the archive.
/// </summary>
internal static class ZipTemporaryFiles
{
    private static readonly ConcurrentDictionary<string, byte> s_building = new(StringComparer.Ordinal);
    private static int s_hooked;

    /// <summary>Removes <paramref name="path"/> at process exit until the returned handle is disposed.</summary>
    public static IDisposable Track(string path)
    {
        if (Interlocked.Exchange(ref s_hooked, 1) == 0) AppDomain.CurrentDomain.ProcessExit += static (_, _) => RemoveAll();
        s_building[path] = 0;
        return new Tracked(path);
    }

    private static void RemoveAll()
    {
        foreach (var path in s_building.Keys)
        {
            try
            {
                File.Delete(path);
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
    }

    private sealed class Tracked(string path) : IDisposable
    {
        public void Dispose() => s_building.TryRemove(path, out _);
    }
}
