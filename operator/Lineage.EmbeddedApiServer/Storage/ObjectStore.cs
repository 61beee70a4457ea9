using System.Text.Json.Nodes;

namespace Lineage.EmbeddedApiServer.Storage;

/// <summary>
/// The whole state of the server behind one lock: objects, the global resourceVersion counter,
/// event histories and open watches. Every method is atomic, as an etcd transaction would be.
/// </summary>
internal sealed partial class ObjectStore(EmbeddedApiServerOptions options)
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, ResourceBucket> buckets = new(StringComparer.Ordinal);
    /// <summary>uid → namespace ("" when cluster-scoped) of every stored object, for the garbage collector.</summary>
    private readonly Dictionary<string, string> liveUids = new(StringComparer.Ordinal);
    private readonly Random names = new(options.Seed);
    private long resourceVersion;

    public ResourceRegistry Registry { get; } = new();

    public long CurrentResourceVersion
    {
        get { lock (gate) return resourceVersion; }
    }

    public ResourceType? FindType(string group, string version, string plural)
    {
        lock (gate) return Registry.Find(group, version, plural);
    }

    public IReadOnlyList<ResourceType> ServedTypes()
    {
        lock (gate) return Registry.All();
    }

    public StoredObject Get(ResourceType type, string? ns, string name)
    {
        lock (gate) return Existing(type, ns, name);
    }

    public ListPage List(ResourceType type, WatchFilter filter, int? limit, ListContinuation? continuation)
    {
        lock (gate)
        {
            var bucket = Bucket(type);
            // Like an expired continue token on the real server: the pages can no longer be made consistent.
            if (continuation is not null && continuation.ResourceVersion < bucket.History.CompactedThrough)
                throw ApiException.Gone("The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.");
            var matching = bucket.Objects
                .Where(kv => continuation is null || string.CompareOrdinal(kv.Key, continuation.AfterKey) > 0)
                .Where(kv => filter.Matches(kv.Value))
                .OrderBy(kv => kv.Key, StringComparer.Ordinal)
                .ToList();
            var listVersion = continuation?.ResourceVersion ?? resourceVersion;
            if (limit is not > 0 || matching.Count <= limit)
                return new ListPage(matching.Select(kv => kv.Value).ToList(), listVersion, null, null);
            var page = matching.Take(limit.Value).ToList();
            return new ListPage(page.Select(kv => kv.Value).ToList(), listVersion,
                new ListContinuation(listVersion, page[^1].Key), matching.Count - page.Count);
        }
    }

    private StoredObject Existing(ResourceType type, string? ns, string name) =>
        Find(type, ns, name) ?? throw ApiException.NotFound(type, name);

    private StoredObject? Find(ResourceType type, string? ns, string name) =>
        Bucket(type).Objects.GetValueOrDefault(ResourceBucket.Key(type.Namespaced ? ns : null, name));

    private ResourceBucket Bucket(ResourceType type)
    {
        if (!buckets.TryGetValue(type.QualifiedName, out var bucket))
        {
            bucket = new ResourceBucket(type, options.HistoryCapacity);
            buckets[type.QualifiedName] = bucket;
        }
        return bucket;
    }

    private string NextResourceVersion() => (++resourceVersion).ToString();

    /// <summary>Stores (or removes) the object of a change, and tells history and watchers.</summary>
    private void Publish(ResourceType type, WatchEvent change, bool removed = false)
    {
        var bucket = Bucket(type);
        var key = ResourceBucket.Key(change.Object.Namespace.Length == 0 ? null : change.Object.Namespace, change.Object.Name);
        if (removed)
        {
            bucket.Objects.Remove(key);
            liveUids.Remove(change.Object.Uid);
        }
        else
        {
            bucket.Objects[key] = change.Object;
            liveUids[change.Object.Uid] = change.Object.Namespace;
        }
        bucket.History.Append(change);
        foreach (var watcher in bucket.Watchers) watcher.Offer(change);
    }

    /// <summary>Puts apiVersion, kind and metadata first, as the real server prints objects.</summary>
    private static JsonObject Canonical(ResourceType type, JsonObject body)
    {
        var result = new JsonObject { ["apiVersion"] = type.ApiVersion, ["kind"] = type.Kind };
        var metadata = body["metadata"];
        body.Remove("metadata");
        result["metadata"] = metadata ?? new JsonObject();
        foreach (var (key, value) in body.ToList())
        {
            if (key is "apiVersion" or "kind") continue;
            body.Remove(key);
            result[key] = value;
        }
        return result;
    }

    /// <summary>A custom resource's schema: prune, default, validate (422 naming every bad field).</summary>
    private static void ApplySchema(ResourceType type, string name, JsonObject obj)
    {
        if (type.Schema is null) return;
        var errors = Schemas.Schema.Apply(obj, type.Schema);
        if (errors.Count > 0) throw ApiException.Invalid(type, name, errors);
    }

    private static void CheckKind(ResourceType type, JsonObject body)
    {
        if (body["kind"] is JsonValue kind && kind.TryGetValue<string>(out var text) && text.Length > 0 && text != type.Kind)
            throw ApiException.BadRequest($"the kind of the object ({text}) does not match the kind of the URL ({type.Kind})");
    }

    private static void CheckMetadata(ResourceType type, string name, JsonObject meta)
    {
        foreach (var field in new[] { "labels", "annotations" })
        {
            if (meta[field] is null) continue;
            if (meta[field] is not JsonObject map || map.Any(kv => kv.Value is not JsonValue v || !v.TryGetValue<string>(out _)))
                throw ApiException.Invalid(type, name, $"metadata.{field}", "Invalid value: must be a map of strings");
        }
        if (meta["finalizers"] is not null and not JsonArray)
            throw ApiException.Invalid(type, name, "metadata.finalizers", "Invalid value: must be a list of strings");
    }
}
