using System.Text;

namespace ObjectStorage;

// Rows other tools wrote: data of any storage class, keys that are not UTF-8 text.
public partial class SqliteStore
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    // SQLite's storage classes as typeof() names them.
    private const string RealType = "real";
    private const string BlobType = "blob";
    private const string NullType = "null";

    /// <summary>
    /// The bytes of a row's data as <c>CAST(data AS BLOB)</c> gives them: a BLOB as it is, TEXT as its UTF-8, an
    /// INTEGER as its decimal digits, NULL as nothing. A REAL is refused: SQLite's text form of it keeps 15
    /// significant digits, so reading it as bytes would change the number.
    /// </summary>
    private byte[] DataOf(string key, object value, string type)
    {
        if (type == RealType) throw RealRefused(key);
        return value as byte[] ?? [];
    }

    private ObjectStoreException RealRefused(string key) =>
        Failure(key, "the row's data is a REAL (a floating-point number written by another program), which has no exact byte form; nothing was read");

    private const string RealSkipReason = "the row's data is a REAL (a floating-point number), which has no exact byte form";

    // A key column read as its bytes; null when they are not valid UTF-8, so no string names them.
    private static string? KeyOf(byte[] raw)
    {
        try
        {
            return StrictUtf8.GetString(raw);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }

    // How a key that no string names is shown in a report: the SQL literal that finds it, CAST(key AS BLOB) = x'...'.
    private static string KeyLiteral(byte[] raw) => $"x'{Convert.ToHexStringLower(raw)}'";

    // Rows whose key is NULL, a number or a BLOB are outside every listing's text range: each one under the
    // listing's prefix (by its bytes) is reported, so none is passed over in silence.
    private void ReportNonTextKeys(byte[] prefix)
    {
        var skipped = new List<(string Entry, string Type)>();
        var session = RentReader();
        try
        {
            using var reader = session[Statement.NonTextKeys].ExecuteReader();
            while (reader.Read())
            {
                var type = reader.GetString(1);
                var raw = reader.IsDBNull(0) ? null : (byte[])reader.GetValue(0);
                if (raw is null ? prefix.Length == 0 : raw.AsSpan().StartsWith(prefix))
                    skipped.Add((raw is null ? "NULL" : KeyLiteral(raw), type));
            }
        }
        catch (Microsoft.Data.Sqlite.SqliteException ex)
        {
            throw Failed(ex, key: null);
        }
        finally
        {
            ReturnReader(session);
        }
        foreach (var (entry, type) in skipped)
            ReportSkipped(entry, $"the row's key is {(type == NullType ? "NULL" : $"of storage class {type.ToUpperInvariant()}")}, not TEXT: no key a store can look up names it");
    }
}
