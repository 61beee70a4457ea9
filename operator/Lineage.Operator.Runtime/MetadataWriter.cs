using k8s;
using k8s.Models;

namespace Lineage.Operator.Runtime;

/// <summary>
/// Updates metadata (finalizers, labels, annotations) with a PUT of the whole object, only when the serialized
/// metadata changed, retrying from a fresh GET on 409.
/// </summary>
public sealed class MetadataWriter<T>(IResourceClient<T> client) where T : class, IKubernetesObject<V1ObjectMeta>
{
    public Task<T?> UpdateAsync(ObjectKey key, T? current, Action<V1ObjectMeta> mutate, CancellationToken ct) =>
        ConflictRetry.RunAsync(
            current,
            c => client.GetAsync(key, c),
            obj =>
            {
                var before = ConflictRetry.FieldJson(obj, "metadata");
                var copy = ConflictRetry.Clone(obj);
                mutate(copy.Metadata);
                return ConflictRetry.FieldJson(copy, "metadata") == before ? null : copy;
            },
            (obj, c) => client.ReplaceAsync(obj, c),
            ct);

    /// <summary>Adds the finalizer if missing.</summary>
    public Task<T?> AddFinalizerAsync(ObjectKey key, T? current, string finalizer, CancellationToken ct) =>
        UpdateAsync(key, current, m =>
        {
            m.Finalizers ??= [];
            if (!m.Finalizers.Contains(finalizer)) m.Finalizers.Add(finalizer);
        }, ct);

    /// <summary>Removes the finalizer if present (the server may then delete the object, so the result can be null).</summary>
    public Task<T?> RemoveFinalizerAsync(ObjectKey key, T? current, string finalizer, CancellationToken ct) =>
        UpdateAsync(key, current, m => m.Finalizers?.Remove(finalizer), ct);
}
