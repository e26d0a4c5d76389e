using Microsoft.Data.Sqlite;

namespace ObjectStorage;

// Batches: many objects, or many deletes, in one transaction.
public partial class SqliteStore
{
    /// <summary>True: <see cref="ObjectStore.PutMany(IEnumerable{KeyValuePair{string, ReadOnlyMemory{byte}}})"/> is one transaction, all of it or none.</summary>
    public override bool IsPutManyAtomic => true;

    /// <summary>True: <see cref="ObjectStore.DeleteMany(IEnumerable{string})"/> is one transaction, all of it or none.</summary>
    public override bool IsDeleteManyNative => true;

    /// <summary>Stores every object in one transaction: all of them or, on failure, none.</summary>
    protected override void PutManyCore(IReadOnlyList<KeyValuePair<string, ReadOnlyMemory<byte>>> objects) =>
        InBatch(objects, static o => o.Key, static (session, o) => Replace(session, o.Key, o.Value), CancellationToken.None);

    /// <inheritdoc cref="PutManyCore(IReadOnlyList{KeyValuePair{string, ReadOnlyMemory{byte}}})"/>
    protected override ValueTask PutManyAsyncCore(IReadOnlyList<KeyValuePair<string, ReadOnlyMemory<byte>>> objects, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        InBatch(objects, static o => o.Key, static (session, o) => Replace(session, o.Key, o.Value), cancellationToken);
        return ValueTask.CompletedTask;
    }

    /// <summary>Deletes every key in one transaction.</summary>
    protected override void DeleteManyCore(IReadOnlyList<string> keys) =>
        InBatch(keys, static k => k, DeleteRow, CancellationToken.None);

    private static void DeleteRow(SqliteSession session, string key)
    {
        var command = session[Statement.Delete];
        command.Parameters["@key"].Value = key;
        command.ExecuteNonQuery();
    }

    // One write transaction over the batch; a failure names the item it happened on and rolls back all.
    private void InBatch<T>(IReadOnlyList<T> items, Func<T, string> keyOf, Action<SqliteSession, T> write, CancellationToken cancellationToken)
    {
        string? key = null;
        try
        {
            InWriteTransaction(session =>
            {
                foreach (var item in items)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    key = keyOf(item);
                    write(session, item);
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
