namespace ObjectStorage;

/// <summary>How much of the side table a database file has, which decides what a store over it keeps.</summary>
internal enum SideTable
{
    /// <summary>None: a file the Python original wrote, opened read-only. No times, no tags of our own.</summary>
    None,

    /// <summary>Versions and write times only: a file an earlier version of this store wrote, opened read-only.</summary>
    Stamped,

    /// <summary>Versions, times, content types and user metadata.</summary>
    Described,
}

/// <summary>Every statement <see cref="SqliteStore"/> runs, by slot; each connection prepares each once.</summary>
internal enum Statement
{
    Begin, BeginImmediate, Commit, Rollback,
    Get, Exists, Stat, RowOf, Put, PutRows, PutZeroBlob, PutIfAbsent, Delete, NonTextKeys, Describe,
    // Listing pages: + 1 for a page after the first (key > @from), + 2 with an upper bound (key < @to).
    KeysPage, ListPage = KeysPage + 4,
    Count = ListPage + 4,
}

/// <summary>
/// The SQL of the Python original's table <c>objects(key TEXT PRIMARY KEY, data BLOB)</c>, left exactly as it is,
/// and of a side table <c>objects_meta(key, version, modified, content_type, metadata)</c> that triggers keep in step
/// with it on every insert, update and delete, whoever makes them (this store, the Python original, plain SQL):
/// <c>version</c> is a random 64-bit number drawn anew on each write (the ETag), <c>modified</c> the time in Unix
/// milliseconds. A put that carries metadata sets the time, <c>content_type</c> and <c>metadata</c> (a JSON object
/// of the user metadata) in the same transaction, after the trigger has stamped the row; any other write leaves them
/// empty, so metadata never outlives the object it was put with.
/// </summary>
/// <remarks>
/// Why a side table and not two more columns: SQLite streams a <c>zeroblob(n)</c> into the file without building
/// it in memory only while the blob is the last field of the row, and an <c>UPDATE</c> of any other field reads
/// the whole row; with the blob last and nothing beside it, a 1 GB put needs no 1 GB of memory. Writes use
/// <c>INSERT OR REPLACE</c>, the Python original's statement, because <c>ON CONFLICT DO UPDATE</c> also loads the
/// old row whole.
/// </remarks>
internal static class SqliteStatements
{
    public const string Table = "objects";
    public const string MetaTable = "objects_meta";

    // Milliseconds since 1970 in SQL that every SQLite since 3.0 knows (unixepoch() needs 3.38).
    private const string NowMs = "CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)";
    private const string Stamp = $"INSERT INTO objects_meta(key, version, modified) VALUES (NEW.key, random(), {NowMs});";

    public const string CreateTable = "CREATE TABLE IF NOT EXISTS objects(key TEXT PRIMARY KEY, data BLOB)";

    /// <summary>Rows in one <see cref="Statement.PutRows"/>: parameters <c>@key0, @data0</c> to <c>@key49, @data49</c>.</summary>
    public const int RowsPerPut = 50;

    /// <summary>The side table, its triggers, and a first stamp for the rows already there.</summary>
    public static readonly string[] CreateMeta =
    [
        "CREATE TABLE objects_meta(key TEXT PRIMARY KEY, version INTEGER NOT NULL, modified INTEGER, content_type TEXT, metadata TEXT) WITHOUT ROWID",
        $"CREATE TRIGGER objects_meta_insert AFTER INSERT ON objects BEGIN DELETE FROM objects_meta WHERE key = NEW.key; {Stamp} END",
        $"CREATE TRIGGER objects_meta_update AFTER UPDATE ON objects BEGIN DELETE FROM objects_meta WHERE key = OLD.key OR key = NEW.key; {Stamp} END",
        "CREATE TRIGGER objects_meta_delete AFTER DELETE ON objects BEGIN DELETE FROM objects_meta WHERE key = OLD.key; END",
        // A foreign NULL key (a rowid table allows one) is no object and has no place in a WITHOUT ROWID table.
        "INSERT INTO objects_meta(key, version, modified) SELECT key, random(), NULL FROM objects WHERE key IS NOT NULL",
    ];

    /// <summary>The columns a side table of an earlier version lacks, added when the store opens it to write.</summary>
    public static readonly string[] DescribeColumns =
    [
        "ALTER TABLE objects_meta ADD COLUMN content_type TEXT",
        "ALTER TABLE objects_meta ADD COLUMN metadata TEXT",
    ];

    /// <summary>The SQL of every slot, for a file with <paramref name="side"/>.</summary>
    public static string[] For(SideTable side)
    {
        var (meta, join) = side switch
        {
            SideTable.Described => ("m.version, m.modified, o.rowid, m.content_type, m.metadata", " LEFT JOIN objects_meta m ON m.key = o.key"),
            SideTable.Stamped => ("m.version, m.modified, o.rowid, NULL, NULL", " LEFT JOIN objects_meta m ON m.key = o.key"),
            _ => ("NULL, NULL, o.rowid, NULL, NULL", ""),
        };
        var sql = new string[(int)Statement.Count];
        sql[(int)Statement.Begin] = "BEGIN";
        sql[(int)Statement.BeginImmediate] = "BEGIN IMMEDIATE";
        sql[(int)Statement.Commit] = "COMMIT";
        sql[(int)Statement.Rollback] = "ROLLBACK";
        // Data of every storage class is read as SQLite's own bytes of it (TEXT its UTF-8, INTEGER its digits); the
        // type comes along so that a REAL, which has no exact byte form, is refused instead (SqliteStore.Foreign.cs).
        sql[(int)Statement.Get] = "SELECT CAST(data AS BLOB), typeof(data) FROM objects WHERE key = @key";
        sql[(int)Statement.Exists] = "SELECT 1 FROM objects WHERE key = @key";
        sql[(int)Statement.Stat] = $"SELECT {SizeOfData}, {meta}, typeof(o.data) FROM objects o{join} WHERE o.key = @key";
        // typeof(), like length(), does not read the blob.
        sql[(int)Statement.RowOf] = "SELECT rowid, typeof(data) FROM objects WHERE key = @key";
        sql[(int)Statement.Put] = "INSERT OR REPLACE INTO objects(key, data) VALUES(@key, @data)";
        sql[(int)Statement.PutRows] = "INSERT OR REPLACE INTO objects(key, data) VALUES "
            + string.Join(", ", Enumerable.Range(0, RowsPerPut).Select(static i => $"(@key{i}, @data{i})"));
        sql[(int)Statement.PutZeroBlob] = "INSERT OR REPLACE INTO objects(key, data) VALUES(@key, zeroblob(@length)) RETURNING rowid";
        sql[(int)Statement.PutIfAbsent] = "INSERT INTO objects(key, data) VALUES(@key, @data) ON CONFLICT(key) DO NOTHING";
        sql[(int)Statement.Delete] = "DELETE FROM objects WHERE key = @key";
        // Run after a put in its transaction: the trigger has just stamped the row.
        sql[(int)Statement.Describe] =
            "UPDATE objects_meta SET modified = COALESCE(@modified, modified), content_type = @type, metadata = @metadata WHERE key = @key";
        // Keys that are not TEXT sort apart from the text range a listing scans (NULL and numbers before it, BLOBs
        // after it); each of these three is a range of the key index.
        const string nonText = "SELECT CAST(key AS BLOB), typeof(key) FROM objects WHERE ";
        sql[(int)Statement.NonTextKeys] = $"{nonText}key IS NULL UNION ALL {nonText}key < '' UNION ALL {nonText}key >= x''";
        for (int variant = 0; variant < 4; variant++)
        {
            // Bounds are bound as UTF-8 bytes and cast, so a page can start after a foreign key that is not valid
            // UTF-8; without an upper bound, x'' keeps the BLOB keys (which sort after all text) out.
            var where = ((variant & 1) == 0 ? "o.key >= CAST(@from AS TEXT)" : "o.key > CAST(@from AS TEXT)")
                + ((variant & 2) == 0 ? " AND o.key < x''" : " AND o.key < CAST(@to AS TEXT)");
            sql[(int)Statement.KeysPage + variant] = $"SELECT CAST(o.key AS BLOB), typeof(o.data) FROM objects o WHERE {where} ORDER BY o.key LIMIT @limit";
            sql[(int)Statement.ListPage + variant] = $"SELECT CAST(o.key AS BLOB), typeof(o.data), {SizeOfData}, {meta} FROM objects o{join} WHERE {where} ORDER BY o.key LIMIT @limit";
        }
        return sql;
    }

    // The length in bytes of what a get returns. length() counts a TEXT in characters, so TEXT is measured as the
    // blob it reads as; for a BLOB, length() answers from the record header without reading the blob.
    private const string SizeOfData = "CASE typeof(o.data) WHEN 'text' THEN length(CAST(o.data AS BLOB)) ELSE length(o.data) END";

    /// <summary>The listing slot for a page: keys only or with metadata, first or later page, with or without an upper bound.</summary>
    public static Statement Page(bool withInfo, bool afterFirst, bool bounded) =>
        (withInfo ? Statement.ListPage : Statement.KeysPage) + (afterFirst ? 1 : 0) + (bounded ? 2 : 0);

    /// <summary>
    /// The keys that start with <paramref name="prefix"/> are exactly those in [prefix, upper): upper is the prefix
    /// with its last code point raised by one (UTF-8 order is code point order), or null when no bound is needed.
    /// A prefix is valid Unicode (<see cref="ObjectKey.ValidatePrefix"/>), so it never ends in half a pair.
    /// </summary>
    public static string? UpperBound(string prefix)
    {
        int end = prefix.Length;
        while (end > 0)
        {
            bool pair = end >= 2 && char.IsSurrogatePair(prefix[end - 2], prefix[end - 1]);
            int start = end - (pair ? 2 : 1);
            int codePoint = char.ConvertToUtf32(prefix, start);
            if (codePoint < 0x10FFFF)
            {
                int next = codePoint + 1 == 0xD800 ? 0xE000 : codePoint + 1;
                return string.Concat(prefix.AsSpan(0, start), char.ConvertFromUtf32(next));
            }
            end = start; // U+10FFFF has no successor: raise the code point before it instead
        }
        return null;
    }
}
