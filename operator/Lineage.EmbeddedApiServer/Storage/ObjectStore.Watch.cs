using System.Text.Json.Nodes;

namespace Lineage.EmbeddedApiServer.Storage;

internal sealed partial class ObjectStore
{
    /// <summary>
    /// Opens a watch. Without a resourceVersion (or "0") it starts with ADDED for every matching
    /// object; with one it replays the history after it, or ends with a 410 ERROR if that part of
    /// the history is compacted.
    /// </summary>
    public WatchSubscription Watch(ResourceType type, WatchFilter filter, string? fromResourceVersion, bool initialEventsEndBookmark)
    {
        lock (gate)
        {
            var bucket = Bucket(type);
            var subscription = new WatchSubscription(type, filter);
            if (string.IsNullOrEmpty(fromResourceVersion) || fromResourceVersion == "0")
            {
                foreach (var obj in bucket.Objects.Values.Where(filter.Matches).OrderBy(o => o.ResourceVersion))
                    subscription.Send(new WatchFrame(WatchEvent.Added, obj.Utf8));
                if (initialEventsEndBookmark) subscription.Send(BookmarkFrame(type, initialEventsEnd: true));
            }
            else
            {
                if (!long.TryParse(fromResourceVersion, out var from) || from < 0)
                    throw ApiException.BadRequest($"invalid resourceVersion \"{fromResourceVersion}\"");
                if (from < bucket.History.CompactedThrough)
                {
                    var gone = ApiException.Gone($"too old resource version: {from} ({bucket.History.CompactedThrough})").ToStatus();
                    subscription.Send(new WatchFrame(WatchEvent.Error, JsonText.ToUtf8(gone)));
                    subscription.Close();
                    return subscription;
                }
                foreach (var change in bucket.History.After(from)) subscription.Offer(change);
            }
            bucket.Watchers.Add(subscription);
            return subscription;
        }
    }

    /// <summary>Queues a BOOKMARK at the current resourceVersion, behind every event already queued.</summary>
    public void Bookmark(WatchSubscription subscription)
    {
        lock (gate)
        {
            if (Bucket(subscription.Type).Watchers.Contains(subscription))
                subscription.Send(BookmarkFrame(subscription.Type, initialEventsEnd: false));
        }
    }

    public void Unwatch(WatchSubscription subscription)
    {
        lock (gate)
        {
            subscription.Close();
            if (buckets.TryGetValue(subscription.Type.QualifiedName, out var bucket)) bucket.Watchers.Remove(subscription);
        }
    }

    /// <summary>
    /// Forgets all history up to now, as an etcd compaction at the current revision: a watch from any
    /// older resourceVersion gets 410 Gone; one from the newest (a client that has seen everything) does not.
    /// </summary>
    public void CompactHistory()
    {
        lock (gate)
        {
            foreach (var bucket in buckets.Values) bucket.History.CompactThrough(resourceVersion);
            // Collections never written yet must refuse old resourceVersions too.
            foreach (var type in Registry.All()) Bucket(type).History.CompactThrough(resourceVersion);
            CompactLog();
        }
    }

    /// <summary>Ends every open watch stream, as an API server restart or a load balancer would.</summary>
    public int DropWatches()
    {
        lock (gate)
        {
            var dropped = 0;
            foreach (var bucket in buckets.Values)
            {
                foreach (var watcher in bucket.Watchers) watcher.Close();
                dropped += bucket.Watchers.Count;
                bucket.Watchers.Clear();
            }
            return dropped;
        }
    }

    public int OpenWatchCount
    {
        get { lock (gate) return buckets.Values.Sum(b => b.Watchers.Count); }
    }

    private WatchFrame BookmarkFrame(ResourceType type, bool initialEventsEnd)
    {
        var meta = new JsonObject { ["resourceVersion"] = resourceVersion.ToString() };
        if (initialEventsEnd) meta["annotations"] = new JsonObject { ["k8s.io/initial-events-end"] = "true" };
        var obj = new JsonObject { ["apiVersion"] = type.ApiVersion, ["kind"] = type.Kind, ["metadata"] = meta };
        return new WatchFrame(WatchEvent.Bookmark, JsonText.ToUtf8(obj));
    }
}
