namespace Lineage.EmbeddedApiServer.Storage;

/// <summary>One page of a LIST: items in key order, the collection's resourceVersion, and where to continue.</summary>
internal sealed record ListPage(IReadOnlyList<StoredObject> Items, long ResourceVersion, ListContinuation? Continue, long? RemainingItemCount);
