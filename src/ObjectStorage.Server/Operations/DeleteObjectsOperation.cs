using System.Xml;
using ObjectStorage.Server.Protocol;

namespace ObjectStorage.Server.Operations;

/// <summary>DeleteObjects (POST ?delete): up to 1000 keys in one request, each answered on its own.</summary>
internal static class DeleteObjectsOperation
{
    private const int MaxKeys = 1000;
    private const int MaxBodyBytes = 2 << 20;

    public static async Task RunAsync(S3Call call)
    {
        var store = call.WritableStore(delete: true);
        byte[] document;
        await using (var body = RequestBody.Open(call.HttpRequest, call.Caller, key: null))
            document = await ObjectOperations.ReadLimitedAsync(body, MaxBodyBytes, key: null, call.Aborted,
                () => S3Error.MalformedXml("The DeleteObjects document is larger than 2 MiB.")).ConfigureAwait(false);
        var (keys, quiet) = Parse(document);
        var deleted = new List<string>();
        var errors = new List<(string Key, string Code, string Message)>();
        foreach (var key in keys)
        {
            try
            {
                await store.DeleteAsync(S3Call.ValidKey(key), call.Aborted).ConfigureAwait(false);
                deleted.Add(key);
            }
            catch (S3Error error)
            {
                errors.Add((key, error.Code, error.Message));
            }
            catch (Exception error) when (error is ObjectStoreException or InvalidKeyException or NotSupportedException)
            {
                errors.Add((key, error switch { ObjectStoreException => "InternalError", InvalidKeyException => "InvalidObjectName", _ => "InvalidArgument" }, error.Message));
            }
        }
        await S3Xml.WriteAsync(call.Response, 200, xml =>
        {
            xml.WriteStartElement("DeleteResult", S3Xml.Namespace);
            if (!quiet)
                foreach (var key in deleted)
                {
                    xml.WriteStartElement("Deleted");
                    xml.Element("Key", key);
                    xml.WriteEndElement();
                }
            foreach (var (key, code, message) in errors)
            {
                xml.WriteStartElement("Error");
                xml.Element("Key", key);
                xml.Element("Code", code);
                xml.Element("Message", message);
                xml.WriteEndElement();
            }
            xml.WriteEndElement();
        }).ConfigureAwait(false);
    }

    private static (List<string> Keys, bool Quiet) Parse(byte[] document)
    {
        var keys = new List<string>();
        var quiet = false;
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, CheckCharacters = false };
        try
        {
            using var reader = XmlReader.Create(new MemoryStream(document), settings);
            reader.Read();
            // ReadElementContentAsString moves past the element itself, so only other nodes need a Read.
            while (!reader.EOF)
            {
                if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "Quiet")
                    quiet = reader.ReadElementContentAsString().Trim() == "true";
                else if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "Key" && reader.Depth == 2)
                {
                    keys.Add(reader.ReadElementContentAsString());
                    if (keys.Count > MaxKeys) throw S3Error.MalformedXml($"DeleteObjects takes at most {MaxKeys} keys.");
                }
                else reader.Read();
            }
        }
        catch (XmlException e)
        {
            throw S3Error.MalformedXml($"The DeleteObjects document is not well-formed XML: {e.Message}");
        }
        if (keys.Count == 0) throw S3Error.MalformedXml("The DeleteObjects document names no key.");
        return (keys, quiet);
    }
}
