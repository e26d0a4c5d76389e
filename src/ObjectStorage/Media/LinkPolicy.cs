namespace ObjectStorage;

/// <summary>
/// What <see cref="FilesystemStore"/> and <see cref="HashdirStore"/> do with a symbolic link under
/// their root, as rclone's <c>--links</c>/<c>--copy-links</c> choose: a link is never an object
/// of its own, and nothing is ever read, written or deleted outside the root through one.
/// </summary>
public enum LinkPolicy
{
    /// <summary>
    /// Links are not followed: a listing passes over them and reports them through
    /// <see cref="ObjectStore.EntrySkipped"/>, and an operation on a key whose path goes through
    /// one throws <see cref="ObjectStoreException"/> naming the key and the link. The default.
    /// </summary>
    Skip,

    /// <summary>
    /// A link whose target, resolved, is inside the root is followed as if it were its target (a
    /// listed size is the target's); a link that leads outside the root, dangles or loops is
    /// treated as under <see cref="Skip"/>.
    /// </summary>
    FollowInsideRoot,
}
