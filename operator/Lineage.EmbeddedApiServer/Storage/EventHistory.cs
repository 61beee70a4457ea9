namespace Lineage.EmbeddedApiServer.Storage;

/// <summary>
/// The bounded, compactable event log of one resource collection, used to replay a watch from a
/// resourceVersion. A watch from before <see cref="CompactedThrough"/> cannot be served: 410 Gone.
/// </summary>
internal sealed class EventHistory(int capacity)
{
    private readonly Queue<WatchEvent> events = new();

    /// <summary>Events with a resourceVersion at or below this are gone.</summary>
    public long CompactedThrough { get; private set; }

    public void Append(WatchEvent change)
    {
        events.Enqueue(change);
        while (events.Count > capacity) CompactedThrough = events.Dequeue().ResourceVersion;
    }

    public void CompactThrough(long resourceVersion)
    {
        while (events.Count > 0 && events.Peek().ResourceVersion <= resourceVersion) events.Dequeue();
        CompactedThrough = Math.Max(CompactedThrough, resourceVersion);
    }

    public IEnumerable<WatchEvent> After(long resourceVersion) => events.Where(e => e.ResourceVersion > resourceVersion);
}
