using Microsoft.Data.Sqlite;

namespace ObjectStorage;

// Batches: many objects, or many deletes, in one transaction.
public partial class SqliteStore
{
    /// <summary>True: <see cref="ObjectStore.PutMany(IEnumerable{KeyValuePair{string, ReadOnlyMemory{byte}}})"/> is one transaction, all of it or none.</summary>
    public override bool IsPutManyAtomic => true;

    /// <summary>True: <see cref="ObjectStore.DeleteMany(IEnumerable{string})"/> is one transaction, all of it or none.</summary>
    public override bool IsDeleteManyNative => true;

    // SQLite's default page; on a file with larger pages a batch writes many rows per statement.
    private const int DefaultPageBytes = 4096;
    // Objects up to this size go into a many-row statement; larger ones, whose statement costs little beside their
    // bytes, go one by one, so that SQLite never holds the copies of many large values at once.
    private const int RowsPutValueBytes = 256 * 1024;

    /// <summary>Stores every object in one transaction: all of them or, on failure, none.</summary>
    protected override void PutManyCore(IReadOnlyList<KeyValuePair<string, ReadOnlyMemory<byte>>> objects) =>
        InBatch(RowGroups(objects), static g => g.Key, WriteGroup, CancellationToken.None);

    /// <inheritdoc cref="PutManyCore(IReadOnlyList{KeyValuePair{string, ReadOnlyMemory{byte}}})"/>
    protected override ValueTask PutManyAsyncCore(IReadOnlyList<KeyValuePair<string, ReadOnlyMemory<byte>>> objects, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        InBatch(RowGroups(objects), static g => g.Key, WriteGroup, cancellationToken);
        return ValueTask.CompletedTask;
    }

    // The batch in statements, in its order: runs of _rowsPerPut small objects share one, every other object has
    // its own. Each statement inside a transaction keeps a journal of the pages it changes; on a file with 64 KiB
    // pages, one row per statement copied 64 KiB per 4 KiB object, and 50 rows a statement wrote a durable batch of
    // 1,000 in 18.6 ms instead of 46.8 (docs/benchmarks.md, "SqliteStore: page size"). With 4 KiB pages the copy is
    // small and many rows were slower (53 against 46 ms), so there every statement has one row.
    private List<RowGroup> RowGroups(IReadOnlyList<KeyValuePair<string, ReadOnlyMemory<byte>>> objects)
    {
        var groups = new List<RowGroup>(objects.Count);
        int start = 0;
        while (start < objects.Count)
        {
            int run = 0;
            while (run < _rowsPerPut && start + run < objects.Count && objects[start + run].Value.Length <= RowsPutValueBytes) run++;
            int count = run == _rowsPerPut ? run : 1;
            groups.Add(new RowGroup(objects, start, count));
            start += count;
        }
        return groups;
    }

    // Objects [Start, Start + Count) of a batch, written by one statement.
    private readonly record struct RowGroup(IReadOnlyList<KeyValuePair<string, ReadOnlyMemory<byte>>> Objects, int Start, int Count)
    {
        // The key a failure names; none for many rows, whose statement fails for the database (locked, full), not for one of them.
        public string? Key => Count == 1 ? Objects[Start].Key : null;
    }

    private static void WriteGroup(SqliteSession session, RowGroup group)
    {
        if (group.Count == 1)
        {
            var only = group.Objects[group.Start];
            Replace(session, only.Key, only.Value);
            return;
        }
        var command = session[Statement.PutRows];
        for (int i = 0; i < group.Count; i++)
        {
            var item = group.Objects[group.Start + i];
            command.Parameters[2 * i].Value = item.Key;
            command.Parameters[2 * i + 1].Value = AsBlobValue(item.Value);
        }
        command.ExecuteNonQuery();
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

    // One write transaction over the batch; a failure names the key it happened on (where keyOf gives one) and rolls back all.
    private void InBatch<T>(IReadOnlyList<T> items, Func<T, string?> keyOf, Action<SqliteSession, T> write, CancellationToken cancellationToken)
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
