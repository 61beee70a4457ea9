namespace Lineage.EmbeddedApiServer.Persistence;

/// <summary>
/// One change as stored (a row of the log, as in k3s's kine): the object at <paramref name="Revision"/> (its
/// resourceVersion), or its last state when <paramref name="Deleted"/>; <paramref name="PreviousRevision"/> is the
/// revision it replaced (0 for a create).
/// </summary>
internal sealed record LogEntry(long Revision, string Collection, string Key, bool Deleted, long PreviousRevision, byte[] Value);

/// <summary>Everything a server needs to come back: the log's rows in revision order, the revision counter, and per collection how far history was compacted.</summary>
internal sealed record LoadedState(IReadOnlyList<LogEntry> Entries, long Revision, IReadOnlyDictionary<string, long> CompactedThrough);
