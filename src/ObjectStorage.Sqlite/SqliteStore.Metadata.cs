using System.Buffers;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace ObjectStorage;

// Metadata: the side table's time, content type and user metadata (a JSON object), beside the original's table.
public partial class SqliteStore
{
    private static readonly MetadataSupport Described =
        new() { Kept = MetadataKinds.All, Listed = MetadataKinds.All, TimePrecision = TimeSpan.FromMilliseconds(1) };

    private static readonly MetadataSupport StampedOnly =
        new() { Kept = MetadataKinds.None, Listed = MetadataKinds.None, TimePrecision = TimeSpan.FromMilliseconds(1) };

    private readonly SideTable _side;

    /// <summary>
    /// Everything, in listings too, kept in the side table <c>objects_meta</c> (times in milliseconds), so the
    /// original's <c>objects</c> table stays as it was. A file opened read-only without the side table keeps and
    /// gives nothing; one with an earlier side table gives write times only.
    /// </summary>
    public override MetadataSupport MetadataSupport => _side switch
    {
        SideTable.Described => Described,
        SideTable.Stamped => StampedOnly,
        _ => MetadataSupport.None,
    };

    // Sets the put's metadata on the row its trigger has just stamped, in the put's transaction.
    private static void Describe(SqliteSession session, string key, PutOptions options)
    {
        var command = session[Statement.Describe];
        command.Parameters["@key"].Value = key;
        command.Parameters["@modified"].Value = options.LastModified is { } time ? time.ToUnixTimeMilliseconds() : DBNull.Value;
        command.Parameters["@type"].Value = (object?)options.ContentType ?? DBNull.Value;
        command.Parameters["@metadata"].Value = options.UserMetadata.Count == 0 ? DBNull.Value : ToJson(options.UserMetadata);
        command.ExecuteNonQuery();
    }

    // A put with metadata is two statements, so it is one transaction; one without stays the single statement it
    // was. The write says whether it wrote: a create-only put that found the key must not describe the old row.
    private bool WithMetadata(string key, PutOptions options, Func<SqliteSession, bool> write)
    {
        if (options.Kinds == MetadataKinds.None)
        {
            lock (_writeLock) return write(_writer!);
        }
        bool written = false;
        InWriteTransaction(session =>
        {
            written = write(session);
            if (written) Describe(session, key, options);
        });
        return written;
    }

    private static string ToJson(UserMetadata metadata)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            foreach (var (name, value) in metadata) json.WriteString(name, value);
            json.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    // The user metadata a row holds; a cell that is no JSON object of strings (written by other code) is reported.
    private static UserMetadata? FromJson(string key, SqliteDataReader reader, int column)
    {
        if (reader.IsDBNull(column)) return UserMetadata.Empty;
        try
        {
            using var document = JsonDocument.Parse(reader.GetString(column));
            var pairs = document.RootElement.EnumerateObject().Select(p => KeyValuePair.Create(p.Name, p.Value.GetString() ?? ""));
            if (UserMetadata.TryCreate(pairs, out var metadata, out var rule)) return metadata;
            throw new InvalidDataException(rule);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or InvalidDataException)
        {
            throw new ObjectStoreException(nameof(SqliteStore), key, $"the row's metadata in {SqliteStatements.MetaTable} is not a JSON object of valid user metadata ({ex.Message})", ex);
        }
    }
}
