using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;

namespace Lineage.Operator.Runtime;

/// <summary>Shared by the status and metadata writers: compare serialized JSON, write, and on 409 start again from a fresh GET.</summary>
internal static class ConflictRetry
{
    public const int MaxAttempts = 8;

    /// <summary>The JSON of one top-level field of an object (e.g. "status"), for change detection.</summary>
    public static string FieldJson(object obj, string field)
    {
        var node = JsonNode.Parse(KubernetesJson.Serialize(obj)) as JsonObject;
        return node?[field]?.ToJsonString() ?? "null";
    }

    public static T Clone<T>(T obj) => KubernetesJson.Deserialize<T>(KubernetesJson.Serialize(obj));

    public static async Task<T?> RunAsync<T>(
        T? first, Func<CancellationToken, Task<T?>> fetch, Func<T, T?> mutateOrNull, Func<T, CancellationToken, Task<T>> write, CancellationToken ct)
        where T : class
    {
        var current = first ?? await fetch(ct).ConfigureAwait(false);
        for (var attempt = 1; ; attempt++)
        {
            if (current is null) return null;
            var changed = mutateOrNull(current);
            if (changed is null) return current;
            try
            {
                return await write(changed, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (ApiErrors.IsConflict(e) && attempt < MaxAttempts)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 20 * attempt)), ct).ConfigureAwait(false);
                current = await fetch(ct).ConfigureAwait(false);
            }
            catch (Exception e) when (ApiErrors.IsNotFound(e))
            {
                return null;
            }
        }
    }
}
