namespace ObjectStorage;

/// <summary>Reader sessions: leased one per operation (or per open stream), a few kept open between calls.</summary>
internal sealed class SqliteSessionPool(Func<SqliteSession> open, int maxIdle) : IDisposable
{
    private readonly Stack<SqliteSession> _idle = new();
    private bool _disposed;

    public SqliteSession Rent()
    {
        lock (_idle)
        {
            if (_idle.TryPop(out var session)) return session;
        }
        return open();
    }

    public void Return(SqliteSession session)
    {
        lock (_idle)
        {
            if (!_disposed && _idle.Count < maxIdle)
            {
                _idle.Push(session);
                return;
            }
        }
        session.Dispose();
    }

    public void Dispose()
    {
        lock (_idle)
        {
            _disposed = true;
            while (_idle.TryPop(out var session)) session.Dispose();
        }
    }
}
