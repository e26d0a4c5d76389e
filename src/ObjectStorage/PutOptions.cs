namespace ObjectStorage;

/// <summary>
/// What a put carries besides the bytes: a content type, user metadata and a modification time.
/// Each is optional; a put replaces the object's metadata with what it carries, as S3 does, so an
/// overwrite without a content type leaves the object without one. A store keeps the kinds its
/// <see cref="ObjectStore.MetadataSupport"/> declares and refuses a put that carries any other.
/// </summary>
public sealed record PutOptions
{
    /// <summary>The longest content type, in characters.</summary>
    public const int MaxContentTypeLength = 1024;

    /// <summary>A put with no metadata: the medium stamps the time of the put.</summary>
    public static PutOptions None { get; } = new();

    /// <summary>The media type of the content (for example <c>text/plain; charset=utf-8</c>): 1 to <see cref="MaxContentTypeLength"/> printable ASCII characters, as an HTTP header holds.</summary>
    public string? ContentType { get; init; }

    /// <summary>User metadata under S3's rules (see <see cref="UserMetadata"/>); names are kept in lower case. Null or empty for none.</summary>
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }

    /// <summary>The modification time to keep instead of the time of the put (a copy keeps its source's), within the store's <see cref="MetadataSupport.TimePrecision"/>.</summary>
    public DateTimeOffset? LastModified { get; init; }

    /// <summary>The kinds of metadata this put carries.</summary>
    public MetadataKinds Kinds =>
        (ContentType is null ? MetadataKinds.None : MetadataKinds.ContentType)
        | (Metadata is null || Metadata.Count == 0 ? MetadataKinds.None : MetadataKinds.UserMetadata)
        | (LastModified is null ? MetadataKinds.None : MetadataKinds.ModificationTime);

    /// <summary>The user metadata as the store keeps it: validated, names in lower case; empty when none.</summary>
    /// <remarks>Stores read this rather than <see cref="Metadata"/>; the public put members have checked it.</remarks>
    public UserMetadata UserMetadata => Metadata switch
    {
        null => UserMetadata.Empty,
        UserMetadata normalised => normalised,
        _ => new UserMetadata(Metadata),
    };

    /// <summary>The same put without the kinds outside <paramref name="kinds"/>, for a store that keeps only those.</summary>
    public PutOptions Keeping(MetadataKinds kinds)
    {
        if ((Kinds & ~kinds) == 0) return this;
        return new PutOptions
        {
            ContentType = (kinds & MetadataKinds.ContentType) != 0 ? ContentType : null,
            Metadata = (kinds & MetadataKinds.UserMetadata) != 0 ? Metadata : null,
            LastModified = (kinds & MetadataKinds.ModificationTime) != 0 ? LastModified : null,
        };
    }

    /// <summary>The metadata of <paramref name="info"/> as a put that copies the object carries it: content type, user metadata and its time.</summary>
    public static PutOptions From(ObjectInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        return new PutOptions { ContentType = info.ContentType, Metadata = info.Metadata, LastModified = info.LastModified };
    }

    // The rule these options break, or null; the user metadata comes back normalised.
    internal string? FindBrokenRule(out PutOptions normalised)
    {
        normalised = this;
        if (ContentType is { } type)
        {
            if (type.Length is 0 or > MaxContentTypeLength)
                return $"a content type is 1 to {MaxContentTypeLength} characters, not {type.Length}";
            for (int i = 0; i < type.Length; i++)
            {
                if (type[i] is < ' ' or > '~')
                    return $"the content type holds U+{(int)type[i]:X4} at index {i}: a content type is printable ASCII";
            }
        }
        if (Metadata is null or ObjectStorage.UserMetadata) return null;
        if (!UserMetadata.TryCreate(Metadata, out var metadata, out var rule)) return rule;
        normalised = this with { Metadata = metadata };
        return null;
    }
}
