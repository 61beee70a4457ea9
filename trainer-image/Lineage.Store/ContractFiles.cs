using System.Text;
using Lineage.Contracts.Store;

namespace Lineage.Store;

/// <summary>
/// The JSON contract files as the operator reads them: null when absent (not written yet), an error
/// naming the object when present but malformed.
/// </summary>
public static class ContractFiles
{
    const int MaxBytes = 4 << 20;

    public static Task<Progress?> ReadProgressAsync(this IArtifactStore store, StoreLayout layout, CancellationToken ct) =>
        store.ReadJsonAsync<Progress>(layout.Progress, ct);

    public static Task<EvalResult?> ReadEvalResultAsync(this IArtifactStore store, StoreLayout layout, CancellationToken ct) =>
        store.ReadJsonAsync<EvalResult>(layout.EvalResult, ct);

    public static async Task<T?> ReadJsonAsync<T>(this IArtifactStore store, string key, CancellationToken ct) where T : class
    {
        var bytes = await store.ReadSmallAsync(key, MaxBytes, ct).ConfigureAwait(false);
        return bytes is null ? null : ContractJson.Deserialize<T>(Encoding.UTF8.GetString(bytes), $"{store.Root}/{key}");
    }

    /// <summary>Writes a contract file in one object write (readers see the old or the new version, never half).</summary>
    public static Task WriteJsonAsync<T>(this IArtifactStore store, string key, T value, CancellationToken ct) =>
        store.WriteAsync(key, new MemoryStream(Encoding.UTF8.GetBytes(ContractJson.Serialize(value)), writable: false), ct);
}
