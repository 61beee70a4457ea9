namespace Lineage.EmbeddedApiServer.Storage;

/// <summary>Which (group, version, plural) triples are served. Not thread-safe: the store's lock guards it.</summary>
internal sealed class ResourceRegistry
{
    private readonly Dictionary<(string Group, string Version, string Plural), ResourceType> served = new();

    public ResourceRegistry()
    {
        foreach (var type in BuiltInResources.All) Add(type);
    }

    public void Add(ResourceType type) => served[(type.Group, type.Version, type.Plural)] = type;

    public ResourceType? Find(string group, string version, string plural) =>
        served.GetValueOrDefault((group, version, plural));

    /// <summary>Drops every version of a custom resource collection (its CRD was deleted or changed).</summary>
    public void RemoveCollection(string qualifiedName)
    {
        foreach (var key in served.Where(kv => kv.Value.QualifiedName == qualifiedName && kv.Value.IsCustom).Select(kv => kv.Key).ToList())
            served.Remove(key);
    }

    public IReadOnlyList<ResourceType> All() => served.Values.ToList();
}
