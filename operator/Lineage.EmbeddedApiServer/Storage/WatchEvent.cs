namespace Lineage.EmbeddedApiServer.Storage;

/// <summary>A change to one object. <see cref="Previous"/> is what a label-filtered watch compares against.</summary>
internal sealed record WatchEvent(string Type, StoredObject Object, StoredObject? Previous)
{
    public const string Added = "ADDED";
    public const string Modified = "MODIFIED";
    public const string Deleted = "DELETED";
    public const string Bookmark = "BOOKMARK";
    public const string Error = "ERROR";

    public long ResourceVersion => Object.ResourceVersion;
}
