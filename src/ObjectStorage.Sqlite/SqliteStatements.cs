namespace ObjectStorage;

/// <summary>Every statement <see cref="SqliteStore"/> runs, by slot; each connection prepares each once.</summary>
internal enum Statement
{
    Begin, BeginImmediate, Commit, Rollback,
    Get, Exists, Stat, RowOf, Put, PutZeroBlob, PutIfAbsent, Delete,
    // Listing pages: + 1 for a page after the first (key > @from), + 2 with an upper bound (key < @to).
    KeysPage, ListPage = KeysPage + 4,
    Count = ListPage + 4,
}

/// <summary>
/// The SQL of the <c>objects(key TEXT PRIMARY KEY, data BLOB)</c> table of the Python original, plus two nullable
/// columns that the Python original never names: <c>version</c> (random 64-bit, new on every write: the ETag) and
/// <c>modified</c> (Unix milliseconds). Triggers stamp rows that an older writer inserts or updates without them.
/// </summary>
internal static class SqliteStatements
{
    public const string Table = "objects";

    // Milliseconds since 1970 in SQL that every SQLite since 3.0 knows (unixepoch() needs 3.38).
    private const string NowMs = "CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)";

    public const string CreateTable = "CREATE TABLE IF NOT EXISTS objects(key TEXT PRIMARY KEY, data BLOB)";

    public static readonly string[] AddColumns =
    [
        "ALTER TABLE objects ADD COLUMN version INTEGER",
        "ALTER TABLE objects ADD COLUMN modified INTEGER",
    ];

    public static readonly string[] CreateTriggers =
    [
        $"CREATE TRIGGER IF NOT EXISTS objects_stamp_insert AFTER INSERT ON objects WHEN NEW.version IS NULL " +
        $"BEGIN UPDATE objects SET version = random(), modified = {NowMs} WHERE rowid = NEW.rowid; END",
        $"CREATE TRIGGER IF NOT EXISTS objects_stamp_update AFTER UPDATE OF data ON objects WHEN NEW.version IS OLD.version " +
        $"BEGIN UPDATE objects SET version = random(), modified = {NowMs} WHERE rowid = NEW.rowid; END",
    ];

    private const string Upsert =
        "INSERT INTO objects(key, data, version, modified) VALUES(@key, {0}, random(), @modified) " +
        "ON CONFLICT(key) DO UPDATE SET data = excluded.data, version = excluded.version, modified = excluded.modified";

    /// <summary>The SQL of every slot; <paramref name="stamped"/> when the table has the version and modified columns.</summary>
    public static string[] For(bool stamped)
    {
        var meta = stamped ? "version, modified" : "NULL, NULL";
        var sql = new string[(int)Statement.Count];
        sql[(int)Statement.Begin] = "BEGIN";
        sql[(int)Statement.BeginImmediate] = "BEGIN IMMEDIATE";
        sql[(int)Statement.Commit] = "COMMIT";
        sql[(int)Statement.Rollback] = "ROLLBACK";
        sql[(int)Statement.Get] = "SELECT data FROM objects WHERE key = @key";
        sql[(int)Statement.Exists] = "SELECT 1 FROM objects WHERE key = @key";
        sql[(int)Statement.Stat] = $"SELECT length(data), {meta}, rowid FROM objects WHERE key = @key";
        sql[(int)Statement.RowOf] = "SELECT rowid, data IS NULL FROM objects WHERE key = @key";
        sql[(int)Statement.Put] = string.Format(System.Globalization.CultureInfo.InvariantCulture, Upsert, "@data");
        sql[(int)Statement.PutZeroBlob] = string.Format(System.Globalization.CultureInfo.InvariantCulture, Upsert, "zeroblob(@length)") + " RETURNING rowid";
        sql[(int)Statement.PutIfAbsent] =
            "INSERT INTO objects(key, data, version, modified) VALUES(@key, @data, random(), @modified) ON CONFLICT(key) DO NOTHING";
        sql[(int)Statement.Delete] = "DELETE FROM objects WHERE key = @key";
        for (int variant = 0; variant < 4; variant++)
        {
            var where = ((variant & 1) == 0 ? "key >= @from" : "key > @from") + ((variant & 2) == 0 ? "" : " AND key < @to");
            sql[(int)Statement.KeysPage + variant] = $"SELECT key FROM objects WHERE {where} ORDER BY key LIMIT @limit";
            sql[(int)Statement.ListPage + variant] = $"SELECT key, length(data), {meta}, rowid FROM objects WHERE {where} ORDER BY key LIMIT @limit";
        }
        return sql;
    }

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
