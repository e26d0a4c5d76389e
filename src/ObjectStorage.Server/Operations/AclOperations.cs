using Microsoft.AspNetCore.Http;
using ObjectStorage.Server.Protocol;

namespace ObjectStorage.Server.Operations;

/// <summary>
/// GetBucketAcl/GetObjectAcl and PutBucketAcl/PutObjectAcl as S3 answers them with ACLs disabled
/// (object ownership "bucket owner enforced"): the bucket's owner has full control of the bucket and
/// every object in it, and so does everyone for reading when the server serves anonymous reads. A put
/// may only restate that (a canned <c>private</c> or <c>bucket-owner-full-control</c>, or
/// <c>public-read</c> on a server with anonymous reads); anything else is AccessControlListNotSupported,
/// since no grant is ever stored.
/// </summary>
internal static class AclOperations
{
    private const string AllUsers = "http://acs.amazonaws.com/groups/global/AllUsers";
    private const string SchemaInstance = "http://www.w3.org/2001/XMLSchema-instance";

    public static async Task RunAsync(S3Call call)
    {
        var method = call.HttpRequest.Method;
        _ = call.Store;
        if (call.Request.Key is not null && HttpMethods.IsGet(method))
        {
            var key = call.ValidKey();
            _ = await call.Store.StatAsync(key, call.Aborted).ConfigureAwait(false) ?? throw S3Error.NoSuchKey(key);
        }
        if (HttpMethods.IsGet(method))
        {
            await WritePolicyAsync(call).ConfigureAwait(false);
            return;
        }
        if (!HttpMethods.IsPut(method)) throw new S3Error(405, "MethodNotAllowed", $"{method} is not allowed on '?acl'.");
        if (call.Caller.IsAnonymous) throw S3Error.AccessDenied("Anonymous requests may not change an ACL.");
        var canned = call.HttpRequest.Headers["x-amz-acl"].ToString();
        var restates = canned == "bucket-owner-full-control" || canned == (call.Options.AnonymousRead ? "public-read" : "private");
        if (!restates || call.HttpRequest.ContentLength > 0 || call.HttpRequest.Headers.Any(h => h.Key.StartsWith("x-amz-grant-", StringComparison.OrdinalIgnoreCase)))
            throw new S3Error(400, "AccessControlListNotSupported",
                $"This server does not keep ACLs: the bucket's owner has full control{(call.Options.AnonymousRead ? " and everyone may read" : "")}, and an ACL may only say so (x-amz-acl: {(call.Options.AnonymousRead ? "public-read" : "private")}).", call.Request.Key);
        if (call.Request.Key is { } objectKey && await call.Store.StatAsync(S3Call.ValidKey(objectKey), call.Aborted).ConfigureAwait(false) is null)
            throw S3Error.NoSuchKey(objectKey);
        call.Response.StatusCode = StatusCodes.Status200OK;
    }

    private static Task WritePolicyAsync(S3Call call)
    {
        var owner = call.Buckets.OwnerOf(call.Bucket);
        return S3Xml.WriteAsync(call.Response, 200, xml =>
        {
            xml.WriteStartElement("AccessControlPolicy", S3Xml.Namespace);
            S3Xml.Owner(xml, "Owner", owner);
            xml.WriteStartElement("AccessControlList");
            xml.WriteStartElement("Grant");
            xml.WriteStartElement("Grantee");
            xml.WriteAttributeString("xmlns", "xsi", null, SchemaInstance);
            xml.WriteAttributeString("xsi", "type", SchemaInstance, "CanonicalUser");
            xml.Element("ID", owner ?? "anonymous");
            xml.Element("DisplayName", owner ?? "anonymous");
            xml.WriteEndElement();
            xml.Element("Permission", "FULL_CONTROL");
            xml.WriteEndElement();
            if (call.Options.AnonymousRead)
            {
                xml.WriteStartElement("Grant");
                xml.WriteStartElement("Grantee");
                xml.WriteAttributeString("xmlns", "xsi", null, SchemaInstance);
                xml.WriteAttributeString("xsi", "type", SchemaInstance, "Group");
                xml.Element("URI", AllUsers);
                xml.WriteEndElement();
                xml.Element("Permission", "READ");
                xml.WriteEndElement();
            }
            xml.WriteEndElement();
            xml.WriteEndElement();
        });
    }
}
