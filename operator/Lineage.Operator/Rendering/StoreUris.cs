using Lineage.Contracts.Store;
using Lineage.Operator.Api.V1Alpha1;

namespace Lineage.Operator.Rendering;

/// <summary>Store URIs the pods see and the store keys the operator reads, derived from one storage prefix.</summary>
public static class StoreUris
{
    public static string Join(string root, string key) => $"{root.TrimEnd('/')}/{key.TrimStart('/')}";

    /// <summary>The key of <paramref name="uri"/> under <paramref name="root"/>, or null when it lies elsewhere.</summary>
    public static string? KeyUnder(string root, string uri)
    {
        var prefix = root.TrimEnd('/') + "/";
        return uri.StartsWith(prefix, StringComparison.Ordinal) ? uri[prefix.Length..].TrimEnd('/') : null;
    }

    public static StoreLayout LayoutOf(Generation generation) => new(generation.Spec.Lineage, generation.Metadata.Name);

    /// <summary>Where a run with this output writes progress.json (the trainer's RunPaths rule), as a key under the root.</summary>
    public static string? ProgressKey(string root, string output)
    {
        var key = KeyUnder(root, output);
        if (key is null) return null;
        return key.EndsWith("/model", StringComparison.Ordinal) ? key[..^"model".Length] + "progress.json" : key + ".progress.json";
    }
}
