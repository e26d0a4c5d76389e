using Microsoft.Data.Sqlite;

namespace ObjectStorage;

// Listing: keyset pagination over the primary key.
public partial class SqliteStore
{
    private const int PageSize = 256;

    /// <inheritdoc/>
    protected override IEnumerable<string> KeysCore(string prefix) =>
        Pages(prefix, withInfo: false, static reader => reader.GetString(0));

    /// <inheritdoc/>
    protected override IEnumerable<ObjectInfo> ListCore(string prefix) =>
        Pages(prefix, withInfo: true, static reader => ReadInfo(reader.GetString(0), reader, first: 1));

    // Keyset pagination: each page is one short query on a leased connection, so an abandoned or slow listing
    // holds no connection and no snapshot between pages.
    private IEnumerable<T> Pages<T>(string prefix, bool withInfo, Func<SqliteDataReader, T> read)
    {
        var upper = SqliteStatements.UpperBound(prefix);
        var from = prefix;
        bool afterFirst = false;
        var page = new List<(string Key, T Item)>(PageSize);
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
                while (reader.Read()) page.Add((reader.GetString(0), read(reader)));
            }
            catch (SqliteException ex)
            {
                throw Failed(ex, key: null);
            }
            finally
            {
                ReturnReader(session);
            }
            foreach (var (key, item) in page)
            {
                // A file written by other code may hold keys no store can: reported, not yielded.
                if (ObjectKey.FindBrokenRule(key, isPrefix: false) is { } rule) ReportSkipped(key, $"the row's key is not one a store can hold: {rule}");
                else yield return item;
            }
            if (page.Count < PageSize) yield break;
            from = page[^1].Key;
            afterFirst = true;
        }
    }
}
