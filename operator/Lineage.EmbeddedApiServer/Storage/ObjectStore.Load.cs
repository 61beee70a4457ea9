using System.Text.Json.Nodes;

namespace Lineage.EmbeddedApiServer.Storage;

internal sealed partial class ObjectStore
{
    /// <summary>
    /// Reads the data file (if any): objects, the resourceVersion counter, the CRDs (so their kinds are served
    /// again) and the watch history after each collection's compaction point; then creates the initial
    /// namespaces that do not exist yet.
    /// </summary>
    public void Start()
    {
        lock (gate)
        {
            if (log is not null) LoadFromLog();
            foreach (var ns in options.InitialNamespaces)
                if (Find(BuiltInResources.Namespaces, null, ns) is null)
                    Create(BuiltInResources.Namespaces, null, new JsonObject { ["metadata"] = new JsonObject { ["name"] = ns } }, WriteRequest.Server());
        }
    }

    private void LoadFromLog()
    {
        var state = log!.Load();
        resourceVersion = state.Revision;
        var crdCollection = BuiltInResources.CustomResourceDefinitions.QualifiedName;
        var crds = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var entry in state.Entries.Where(e => e.Collection == crdCollection))
        {
            if (entry.Deleted) crds.Remove(entry.Key);
            else crds[entry.Key] = entry.Value;
        }
        foreach (var crd in crds.Values) Register(JsonNode.Parse(crd)!.AsObject());

        var types = Registry.All().GroupBy(t => t.QualifiedName).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var byRevision = new Dictionary<long, StoredObject>();
        foreach (var (collection, point) in state.CompactedThrough)
            if (types.TryGetValue(collection, out var compactedType)) Bucket(compactedType).History.CompactThrough(point);
        foreach (var entry in state.Entries)
        {
            // A collection whose CRD is gone has only deletions left; nothing to serve.
            if (!types.TryGetValue(entry.Collection, out var type)) continue;
            var bucket = Bucket(type);
            var obj = new StoredObject(entry.Value);
            byRevision[entry.Revision] = obj;
            var previous = entry.PreviousRevision > 0 ? byRevision.GetValueOrDefault(entry.PreviousRevision) : null;
            if (entry.Deleted)
            {
                bucket.Objects.Remove(entry.Key);
                liveUids.Remove(obj.Uid);
            }
            else
            {
                bucket.Objects[entry.Key] = obj;
                liveUids[obj.Uid] = obj.Namespace;
            }
            if (entry.Revision <= bucket.History.CompactedThrough) continue;
            var kind = entry.Deleted ? WatchEvent.Deleted : entry.PreviousRevision == 0 ? WatchEvent.Added : WatchEvent.Modified;
            bucket.History.Append(new WatchEvent(kind, obj, previous));
        }
    }

    /// <summary>After a failed commit: forget memory, read the file again, and end every watch so clients relist.</summary>
    private void Reload()
    {
        foreach (var bucket in buckets.Values)
            foreach (var watcher in bucket.Watchers) watcher.Close();
        buckets.Clear();
        liveUids.Clear();
        pending.Clear();
        foreach (var type in Registry.All().Where(t => t.IsCustom).Select(t => t.QualifiedName).Distinct().ToList()) Registry.RemoveCollection(type);
        LoadFromLog();
    }

    /// <summary>Trims the data file's log to what the in-memory histories still hold (plus what is current).</summary>
    private void CompactLog()
    {
        commitsSinceCompaction = 0;
        if (log is null) return;
        foreach (var bucket in buckets.Values)
            if (bucket.History.CompactedThrough > 0) compactions[bucket.Type.QualifiedName] = bucket.History.CompactedThrough;
        if (compactions.Count == 0) return;
        log.Compact(compactions);
        compactions.Clear();
    }

    /// <summary>Installs a CRD at start, or updates the one stored (a restart with newer CRDs serves the new schema).</summary>
    public StoredObject InstallCrd(JsonObject crd) => Write(() =>
    {
        var type = BuiltInResources.CustomResourceDefinitions;
        var name = ObjectMeta.String(ObjectMeta.Of(crd), "name") ?? throw ApiException.Invalid(type, "", "metadata.name", "Required value");
        var request = WriteRequest.Server();
        if (Find(type, null, name) is not { } current) return Create(type, null, crd, request);
        ObjectMeta.Ensure(crd).Remove("resourceVersion");
        return Update(type, current, crd, statusOnly: false, request, applied: null);
    });
}
