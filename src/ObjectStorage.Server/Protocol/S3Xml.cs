using System.Globalization;
using System.Text;
using System.Xml;
using Microsoft.AspNetCore.Http;

namespace ObjectStorage.Server.Protocol;

/// <summary>S3's XML bodies: written whole to a buffer first, so the response carries its Content-Length and never half a document.</summary>
internal static class S3Xml
{
    public const string Namespace = "http://s3.amazonaws.com/doc/2006-03-01/";

    private static readonly XmlWriterSettings Settings = new()
    {
        Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
        // S3 itself sends control characters in keys as character references; clients that
        // cannot read them ask for encoding-type=url.
        CheckCharacters = false,
    };

    public static async Task WriteAsync(HttpResponse response, int status, Action<XmlWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = XmlWriter.Create(buffer, Settings))
        {
            writer.WriteStartDocument();
            write(writer);
            writer.WriteEndDocument();
        }
        response.StatusCode = status;
        response.ContentType = "application/xml";
        response.ContentLength = buffer.Length;
        if (!HttpMethods.IsHead(response.HttpContext.Request.Method))
            await response.Body.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), response.HttpContext.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>An element in S3's namespace (the root), or a child that inherits it.</summary>
    public static void Element(this XmlWriter writer, string name, string? value)
    {
        if (value is not null) writer.WriteElementString(name, value);
    }

    /// <summary>An owner or initiator: an access key stands for the user (ID and display name), null for anonymous.</summary>
    public static void Owner(XmlWriter writer, string element, string? accessKeyId)
    {
        writer.WriteStartElement(element);
        writer.Element("ID", accessKeyId ?? "anonymous");
        writer.Element("DisplayName", accessKeyId ?? "anonymous");
        writer.WriteEndElement();
    }

    public static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public static string Bool(bool value) => value ? "true" : "false";
}
