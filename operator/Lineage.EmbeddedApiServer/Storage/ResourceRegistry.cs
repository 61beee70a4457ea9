namespace Lineage.EmbeddedApiServer.Storage;

/// <summary>
/// Which (group, version, plural) triples are served. Changed only under the store's lock (CRDs installed, changed or
/// deleted); read without it: every change publishes a new table, so resolving a request's path never waits for a write
/// in progress (it did, on the store's lock, for a fifth of the API server's busy time at 1,000 Lineages).
/// </summary>
internal sealed class ResourceRegistry
{
    private volatile Dictionary<(string Group, string Version, string Plural), ResourceType> served = new();

    public ResourceRegistry()
    {
        foreach (var type in BuiltInResources.All) Add(type);
    }

    public void Add(ResourceType type) => served = new(served) { [(type.Group, type.Version, type.Plural)] = type };

    public ResourceType? Find(string group, string version, string plural) =>
        served.GetValueOrDefault((group, version, plural));

    /// <summary>Drops every version of a custom resource collection (its CRD was deleted or changed).</summary>
    public void RemoveCollection(string qualifiedName)
    {
        var next = new Dictionary<(string Group, string Version, string Plural), ResourceType>(served);
        foreach (var key in next.Where(kv => kv.Value.QualifiedName == qualifiedName && kv.Value.IsCustom).Select(kv => kv.Key).ToList())
            next.Remove(key);
        served = next;
    }

    public IReadOnlyList<ResourceType> All() => served.Values.ToList();
}
