namespace Lineage.Store;

/// <summary>One listed object: its key relative to the store's root, and its size in bytes.</summary>
public sealed record StoredObject(string Key, long Size);
