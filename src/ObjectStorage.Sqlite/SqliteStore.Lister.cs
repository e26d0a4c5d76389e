using System.Text;
using Microsoft.Data.Sqlite;

namespace ObjectStorage;

// Listing: keyset pagination over the primary key.
public partial class SqliteStore
{
    private const int PageSize = 256;

    /// <inheritdoc/>
    protected override IEnumerable<string> KeysCore(string prefix) =>
        Pages(prefix, withInfo: false, static (key, _) => key);

    /// <inheritdoc/>
    protected override IEnumerable<ObjectInfo> ListCore(string prefix) =>
        Pages(prefix, withInfo: true, static (key, reader) => ReadInfo(key, reader, first: 2));

    // Keyset pagination: each page is one short query on a leased connection, so an abandoned or slow listing
    // holds no connection and no snapshot between pages. Pages go by the keys' bytes, not their strings, so that a
    // foreign key that is not valid UTF-8 neither ends a listing nor repeats one.
    private IEnumerable<T> Pages<T>(string prefix, bool withInfo, Func<string, SqliteDataReader, T> read) where T : class
    {
        var prefixBytes = Encoding.UTF8.GetBytes(prefix);
        var upper = SqliteStatements.UpperBound(prefix) is { } bound ? Encoding.UTF8.GetBytes(bound) : null;
        var from = prefixBytes;
        bool afterFirst = false;
        var page = new List<(byte[] Raw, string Entry, T? Item, string? Skipped)>(PageSize);
        while (true)
        {
            page.Clear();
            var session = RentReader();
            try
            {
                var command = session[SqliteStatements.Page(withInfo, afterFirst, upper is not null)];
                command.Parameters["@from"].Value = from;
                if (upper is not null) command.Parameters["@to"].Value = upper;
                command.Parameters["@limit"].Value = PageSize;
                using var reader = command.ExecuteReader();
                while (reader.Read())
                {
                    var raw = (byte[])reader.GetValue(0);
                    var key = KeyOf(raw);
                    // Bytes that are no UTF-8 can sort inside the prefix's range without starting with it.
                    if (key is null && !raw.AsSpan().StartsWith(prefixBytes))
                    {
                        page.Add((raw, "", null, null));
                        continue;
                    }
                    // A file written by other code may hold keys no store can, or data with no byte form: reported, not yielded.
                    string? skipped = key is null ? "the row's key is not valid UTF-8, so no key a store can look up names it"
                        : ObjectKey.FindBrokenRule(key, isPrefix: false) is { } rule ? $"the row's key is not one a store can hold: {rule}"
                        : reader.GetString(1) == RealType ? RealSkipReason
                        : null;
                    page.Add((raw, key ?? KeyLiteral(raw), skipped is null ? read(key!, reader) : null, skipped));
                }
            }
            catch (SqliteException ex)
            {
                throw Failed(ex, key: null);
            }
            finally
            {
                ReturnReader(session);
            }
            foreach (var (_, entry, item, skipped) in page)
            {
                if (skipped is not null) ReportSkipped(entry, skipped);
                else if (item is not null) yield return item;
            }
            if (page.Count < PageSize) break;
            from = page[^1].Raw;
            afterFirst = true;
        }
        ReportNonTextKeys(prefixBytes);
    }
}
