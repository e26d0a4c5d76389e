using System.Runtime.InteropServices;

namespace ObjectStorage.Cli;

/// <summary>
/// Ctrl+C and SIGTERM for the whole tool: the first cancels the running command, which stops at
/// its next step and exits 130; a second exits at once with 130 (files a store was writing are
/// removed by the stores' exit handlers), never with a crash.
/// </summary>
internal sealed class Interruption : IDisposable
{
    private readonly CancellationTokenSource _cancel = new();
    private readonly PosixSignalRegistration[] _registrations;
    private int _signals;

    public Interruption() =>
        _registrations = [PosixSignalRegistration.Create(PosixSignal.SIGINT, Handle), PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handle)];

    /// <summary>Cancelled by the first signal.</summary>
    public CancellationToken Token => _cancel.Token;

    private void Handle(PosixSignalContext context)
    {
        // Ours to handle: without this the runtime would end the process the default way.
        context.Cancel = true;
        if (Interlocked.Increment(ref _signals) == 1)
        {
            TryWriteError("objstore: interrupted, stopping (interrupt again to quit at once)");
            // Off the signal thread: cancellation callbacks may block or throw, and a second signal must still get through.
            ThreadPool.UnsafeQueueUserWorkItem(static cancel =>
            {
                try
                {
                    cancel.Cancel();
                }
                catch (AggregateException)
                {
                    // A callback failed; the command sees the cancellation anyway and reports how it ended.
                }
                catch (ObjectDisposedException)
                {
                    // The command had already ended.
                }
            }, _cancel, preferLocal: false);
            return;
        }
        TryWriteError("objstore: interrupted again, quitting");
        Environment.Exit(ExitCodes.Cancelled);
    }

    private static void TryWriteError(string line)
    {
        try
        {
            Console.Error.WriteLine(line);
        }
        catch (IOException)
        {
            // Nowhere to say it.
        }
    }

    public void Dispose()
    {
        foreach (var registration in _registrations) registration.Dispose();
        _cancel.Dispose();
    }
}
