namespace ObjectStorage;

/// <summary>Where <see cref="HashdirStore"/> writes the key of each object it puts, so that listings can name it (docs/stores/hashdir.md, "Key records").</summary>
public enum HashdirKeyRecords
{
    /// <summary>In an extended attribute of the object file where the file system keeps them, else in a record file; decided by the store's first put.</summary>
    Auto,

    /// <summary>In the extended attribute <c>user.objstore.key</c> of the object file itself (Linux); a put fails where the file system refuses it.</summary>
    ExtendedAttribute,

    /// <summary>In a record file <c>&lt;object file name&gt;.key</c> beside the object, as earlier versions of this store wrote.</summary>
    File,
}
