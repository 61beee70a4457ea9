namespace Lineage.Store.Publication;

/// <summary>Joining '/'-separated keys; an empty prefix means the store's root.</summary>
static class StoreKeys
{
    public static string Join(string prefix, string name) => prefix.Trim('/') is { Length: > 0 } p ? $"{p}/{name}" : name;

    /// <summary>"a/b" → "a/b/" so that listing "a/b" never also matches "a/bc".</summary>
    public static string Folder(string prefix) => prefix.Trim('/') is { Length: > 0 } p ? p + "/" : "";
}
