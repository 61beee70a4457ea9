using k8s;
using k8s.Models;

namespace Lineage.Operator.Runtime;

/// <summary>
/// Writes an object's status through the status subresource. The mutation is applied to a copy; when the
/// serialized status did not change nothing is written (a no-op reconcile makes no request). On 409 the
/// object is read again and the mutation re-applied, so the mutation must be a function of the object it gets.
/// </summary>
public sealed class StatusWriter<T>(IResourceClient<T> client) where T : class, IKubernetesObject<V1ObjectMeta>
{
    /// <summary>
    /// Applies <paramref name="mutate"/> to a copy of <paramref name="current"/> (or of a fresh GET when null) and writes it.
    /// Returns the object as stored (unchanged when nothing was written), or null when the object is gone.
    /// </summary>
    public Task<T?> UpdateAsync(ObjectKey key, T? current, Action<T> mutate, CancellationToken ct) =>
        ConflictRetry.RunAsync(
            current,
            c => client.GetAsync(key, c),
            obj =>
            {
                var before = ConflictRetry.FieldJson(obj, "status");
                var copy = ConflictRetry.Clone(obj);
                mutate(copy);
                return ConflictRetry.FieldJson(copy, "status") == before ? null : copy;
            },
            (obj, c) => client.ReplaceStatusAsync(obj, c),
            ct);

    public Task<T?> UpdateAsync(ObjectKey key, Action<T> mutate, CancellationToken ct) => UpdateAsync(key, null, mutate, ct);
}
