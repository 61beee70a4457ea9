using System.Text.Json.Nodes;

namespace Lineage.EmbeddedApiServer.Storage;

/// <summary>
/// Namespace deletion as kube-apiserver and the namespace controller do it: the Namespace gets a
/// deletionTimestamp and <c>status.phase: Terminating</c>, everything in it is deleted (finalizers honoured),
/// new content is refused with 403 Forbidden, and the Namespace goes only when it is empty (and its own
/// finalizers are gone).
/// </summary>
internal sealed partial class ObjectStore
{
    private (StoredObject Object, bool Removed) DeleteNamespace(StoredObject current)
    {
        var type = BuiltInResources.Namespaces;
        var marked = current;
        if (!current.IsDeleting)
        {
            var next = current.MutableCopy();
            MarkDeleting(next);
            var status = next["status"] as JsonObject ?? new JsonObject();
            status["phase"] = "Terminating";
            next["status"] = status;
            ObjectMeta.Ensure(next)["resourceVersion"] = NextResourceVersion();
            marked = new StoredObject(next);
            Publish(type, new WatchEvent(WatchEvent.Modified, marked, current));
        }
        EmptyNamespace(current.Name);
        if (FinishNamespaceIfEmpty(current.Name) is { } removed) return (removed, true);
        // The last object to go may have taken the namespace with it already.
        return Find(type, null, current.Name) is { } remaining ? (remaining, false) : (marked, true);
    }

    /// <summary>Deletes everything in a namespace, as the namespace controller does (objects with finalizers wait for them).</summary>
    private void EmptyNamespace(string ns)
    {
        foreach (var bucket in buckets.Values.Where(b => b.Type.Namespaced).ToList())
            foreach (var obj in bucket.Objects.Values.Where(o => o.Namespace == ns).ToList())
                if (bucket.Objects.TryGetValue(obj.Key, out var latest) && !latest.IsDeleting)
                    Delete(CurrentType(bucket), latest, Propagation.Background);
    }

    /// <summary>Removes a terminating namespace once nothing is left in it and it has no finalizers; returns it if removed.</summary>
    private StoredObject? FinishNamespaceIfEmpty(string ns)
    {
        if (ns.Length == 0 || Find(BuiltInResources.Namespaces, null, ns) is not { IsDeleting: true, Finalizers.Count: 0 } namespaceObject) return null;
        if (HasContent(ns)) return null;
        return Remove(BuiltInResources.Namespaces, namespaceObject, namespaceObject.MutableCopy(), cascade: true);
    }

    private bool HasContent(string ns) => buckets.Values.Any(b => b.Type.Namespaced && b.Objects.Values.Any(o => o.Namespace == ns));

    private bool IsTerminating(string ns) => Find(BuiltInResources.Namespaces, null, ns) is { IsDeleting: true };
}
