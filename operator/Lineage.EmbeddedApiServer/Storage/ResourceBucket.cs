namespace Lineage.EmbeddedApiServer.Storage;

/// <summary>All objects of one resource collection (every version of it), their history and open watches.</summary>
internal sealed class ResourceBucket(ResourceType type, int historyCapacity)
{
    /// <summary>The type the collection was first served as; used for writes the server makes itself (GC).</summary>
    public ResourceType Type { get; } = type;

    /// <summary>Objects by <c>namespace/name</c> (cluster-scoped: <c>/name</c>).</summary>
    public Dictionary<string, StoredObject> Objects { get; } = new(StringComparer.Ordinal);

    public EventHistory History { get; } = new(historyCapacity);

    public List<WatchSubscription> Watchers { get; } = [];

    public static string Key(string? ns, string name) => $"{ns}/{name}";
}
