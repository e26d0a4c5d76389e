using Microsoft.Data.Sqlite;

namespace ObjectStorage;

// Batches: many objects in one transaction.
public partial class SqliteStore
{
    /// <summary>Stores every object in one transaction: all of them or, on failure, none. Every key is checked before anything is written.</summary>
    /// <exception cref="InvalidKeyException">A key is invalid; nothing was written.</exception>
    public void PutMany(IEnumerable<KeyValuePair<string, ReadOnlyMemory<byte>>> objects) =>
        WriteBatch(CheckBatch(objects), CancellationToken.None);

    /// <inheritdoc cref="PutMany(IEnumerable{KeyValuePair{string, ReadOnlyMemory{byte}}})"/>
    public ValueTask PutManyAsync(IEnumerable<KeyValuePair<string, ReadOnlyMemory<byte>>> objects, CancellationToken cancellationToken = default)
    {
        var batch = CheckBatch(objects);
        cancellationToken.ThrowIfCancellationRequested();
        WriteBatch(batch, cancellationToken);
        return ValueTask.CompletedTask;
    }

    private List<KeyValuePair<string, ReadOnlyMemory<byte>>> CheckBatch(IEnumerable<KeyValuePair<string, ReadOnlyMemory<byte>>> objects)
    {
        ArgumentNullException.ThrowIfNull(objects);
        ThrowIfDisposed();
        if (!CanWrite) throw Unsupported("PutMany", "it is read-only (CanWrite is false)");
        var batch = objects.ToList();
        foreach (var item in batch) ObjectKey.Validate(item.Key);
        return batch;
    }

    private void WriteBatch(List<KeyValuePair<string, ReadOnlyMemory<byte>>> batch, CancellationToken cancellationToken)
    {
        if (batch.Count == 0) return;
        string? key = null;
        try
        {
            InWriteTransaction(session =>
            {
                foreach (var item in batch)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    key = item.Key;
                    Replace(session, item.Key, item.Value);
                }
                key = null;
            });
        }
        catch (SqliteException ex)
        {
            throw Failed(ex, key);
        }
    }
}
