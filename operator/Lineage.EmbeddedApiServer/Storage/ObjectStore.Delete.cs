using System.Text.Json.Nodes;

namespace Lineage.EmbeddedApiServer.Storage;

internal sealed partial class ObjectStore
{
    /// <summary>
    /// DELETE. An object with finalizers only gets a deletionTimestamp (it goes when the last
    /// finalizer is removed); one without is removed, and its dependents are collected.
    /// </summary>
    /// <returns>The object as it is now (with deletionTimestamp), or as it was when removed; and whether it was removed.</returns>
    public (StoredObject Object, bool Removed) Delete(ResourceType type, string? ns, string name, DeleteOptions options, WriteRequest request) => Write(() =>
    {
        var current = Existing(type, ns, name);
        if (options.PreconditionUid is { } uid && uid != current.Uid)
            throw ApiException.Conflict(type, name, $"Precondition failed: UID in precondition: {uid}, UID in object meta: {current.Uid}");
        if (options.PreconditionResourceVersion is { } rv && rv != current.ResourceVersion.ToString())
            throw ApiException.Conflict(type, name,
                $"Precondition failed: ResourceVersion in precondition: {rv}, ResourceVersion in object meta: {current.ResourceVersion}");
        if (request.DryRun) return DryRunDelete(type, current);
        return Delete(type, current, options.Propagation);
    });

    public IReadOnlyList<StoredObject> DeleteCollection(ResourceType type, WatchFilter filter, DeleteOptions options, WriteRequest request) => Write(() =>
    {
        var doomed = Bucket(type).Objects.Values.Where(filter.Matches).ToList();
        if (request.DryRun) return doomed.Select(obj => DryRunDelete(type, obj).Object).ToList();
        return doomed.Select(obj => Delete(type, obj, options.Propagation).Object).ToList();
    });

    /// <summary>What a delete would answer, with nothing stored: the object marked for deletion, or as it is when it would go.</summary>
    private (StoredObject Object, bool Removed) DryRunDelete(ResourceType type, StoredObject current)
    {
        if ((current.Finalizers.Count == 0 && type != BuiltInResources.Namespaces) || current.IsDeleting) return (current, current.Finalizers.Count == 0);
        var next = current.MutableCopy();
        MarkDeleting(next);
        return (new StoredObject(next), false);
    }

    private (StoredObject Object, bool Removed) Delete(ResourceType type, StoredObject current, Propagation propagation)
    {
        if (type == BuiltInResources.Namespaces) return DeleteNamespace(current);
        if (propagation == Propagation.Orphan) Orphan(current);
        if (current.Finalizers.Count == 0)
            return (Remove(type, current, current.MutableCopy(), cascade: propagation != Propagation.Orphan), true);
        if (current.IsDeleting) return (current, false);

        var next = current.MutableCopy();
        MarkDeleting(next);
        ObjectMeta.Ensure(next)["resourceVersion"] = NextResourceVersion();
        // Only metadata changed: what the schema said of the object still holds.
        var stored = new StoredObject(next) { ValidUnder = current.ValidUnder };
        Publish(type, new WatchEvent(WatchEvent.Modified, stored, current));
        return (stored, false);
    }

    /// <summary>deletionTimestamp, a zero grace period and (as the real server does) a generation bump.</summary>
    private static void MarkDeleting(JsonObject obj)
    {
        var meta = ObjectMeta.Ensure(obj);
        meta["deletionTimestamp"] = ObjectMeta.Timestamp(DateTimeOffset.UtcNow);
        meta["deletionGracePeriodSeconds"] = 0L;
        meta["generation"] = (ObjectMeta.Long(meta, "generation") ?? 1) + 1;
    }

    /// <summary>Removes an object for good: DELETED event, then what depends on it, then its namespace if that was waiting for it.</summary>
    private StoredObject Remove(ResourceType type, StoredObject current, JsonObject last, bool cascade)
    {
        ObjectMeta.Ensure(last)["resourceVersion"] = NextResourceVersion();
        var removed = new StoredObject(last);
        Publish(type, new WatchEvent(WatchEvent.Deleted, removed, current), removed: true);

        if (type == BuiltInResources.CustomResourceDefinitions) DropCollection(removed.Name);
        if (cascade) CollectDependents(removed.Uid);
        if (type.Namespaced) FinishNamespaceIfEmpty(removed.Namespace);
        return removed;
    }

    /// <summary>Garbage collection: dependents whose only live owner is gone are deleted; others lose the reference.</summary>
    private void CollectDependents(string ownerUid)
    {
        foreach (var (bucket, dependent) in Dependents(ownerUid))
        {
            var latest = bucket.Objects.GetValueOrDefault(dependent.Key);
            if (latest is null || latest.Uid != dependent.Uid) continue;
            if (latest.OwnerUids.Any(uid => uid != ownerUid && IsValidOwner(uid, latest))) StripOwner(CurrentType(bucket), latest, ownerUid);
            else Delete(CurrentType(bucket), latest, Propagation.Background);
        }
    }

    /// <summary>
    /// An owner counts when it exists and, if namespaced, is in the dependent's namespace; as the real
    /// garbage collector does, a dependent none of whose owners count is deleted.
    /// </summary>
    private bool IsValidOwner(string uid, StoredObject dependent) =>
        liveUids.TryGetValue(uid, out var ns) && (ns.Length == 0 || ns == dependent.Namespace);

    /// <summary>Collects an object written with owner references none of which is valid (a dangling or cross-namespace owner).</summary>
    private void CollectIfOrphaned(ResourceType type, StoredObject obj)
    {
        if (obj.OwnerUids.Count > 0 && !obj.OwnerUids.Any(uid => IsValidOwner(uid, obj)))
            Delete(type, obj, Propagation.Background);
    }

    private void Orphan(StoredObject owner)
    {
        foreach (var (bucket, dependent) in Dependents(owner.Uid)) StripOwner(CurrentType(bucket), dependent, owner.Uid);
    }

    private List<(ResourceBucket Bucket, StoredObject Dependent)> Dependents(string ownerUid) =>
        buckets.Values
            .SelectMany(bucket => bucket.Objects.Values.Where(o => o.OwnerUids.Contains(ownerUid)).Select(o => (bucket, o)))
            .ToList();

    private void StripOwner(ResourceType type, StoredObject dependent, string ownerUid)
    {
        var next = dependent.MutableCopy();
        var owners = ObjectMeta.Ensure(next)["ownerReferences"]!.AsArray();
        foreach (var owner in owners.Where(o => o?["uid"]?.GetValue<string>() == ownerUid).ToList()) owners.Remove(owner);
        if (owners.Count == 0) ObjectMeta.Ensure(next).Remove("ownerReferences");
        Commit(type, dependent, next, WriteRequest.Server("garbage-collector"), null);
    }

    /// <summary>A deleted CRD takes its custom resources with it (finalizers or not) and ends their watches.</summary>
    private void DropCollection(string collection)
    {
        if (buckets.TryGetValue(collection, out var bucket))
        {
            foreach (var obj in bucket.Objects.Values.ToList()) Remove(bucket.Type, obj, obj.MutableCopy(), cascade: true);
            foreach (var watcher in bucket.Watchers) watcher.Close();
            buckets.Remove(collection);
            // Its rows in the data file are deletions only: let the next compaction drop them.
            compactions[collection] = resourceVersion;
        }
        Registry.RemoveCollection(collection);
    }

    /// <summary>The collection's type as served now (a CRD update may have changed its schema).</summary>
    private ResourceType CurrentType(ResourceBucket bucket) =>
        Registry.Find(bucket.Type.Group, bucket.Type.Version, bucket.Type.Plural) ?? bucket.Type;
}
