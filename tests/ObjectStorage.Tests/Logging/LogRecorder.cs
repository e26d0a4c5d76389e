using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace ObjectStorage.Tests.Logging;

/// <summary>An ILogger that keeps what it is given (level, event, formatted message, exception) from a chosen level up.</summary>
public sealed class LogRecorder(LogLevel minimum = LogLevel.Trace) : ILogger
{
    public sealed record Entry(LogLevel Level, EventId Event, string Message, Exception? Error, IReadOnlyList<KeyValuePair<string, object?>> State);

    private readonly ConcurrentQueue<Entry> _entries = new();

    public IReadOnlyList<Entry> Entries => [.. _entries];

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= minimum;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel)) return;
        var values = state as IReadOnlyList<KeyValuePair<string, object?>> ?? [];
        _entries.Enqueue(new Entry(logLevel, eventId, formatter(state, exception), exception, [.. values]));
    }
}
