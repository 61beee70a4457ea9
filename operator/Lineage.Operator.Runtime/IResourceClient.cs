using k8s;
using k8s.Models;

namespace Lineage.Operator.Runtime;

/// <summary>
/// Typed access to one kind (custom or built-in), addressed by its <c>[KubernetesEntity]</c> attribute.
/// Get returns null on 404; writes throw <c>k8s.Autorest.HttpOperationException</c> on errors (409 included).
/// </summary>
public interface IResourceClient<T> where T : class, IKubernetesObject<V1ObjectMeta>
{
    Task<T?> GetAsync(ObjectKey key, CancellationToken ct);
    Task<IReadOnlyList<T>> ListAsync(string? @namespace, string? labelSelector, CancellationToken ct);
    Task<T> CreateAsync(T resource, CancellationToken ct);
    /// <summary>PUT of the whole object (spec and metadata); the server ignores status here.</summary>
    Task<T> ReplaceAsync(T resource, CancellationToken ct);
    /// <summary>PUT to the status subresource; resourceVersion must match or the server answers 409.</summary>
    Task<T> ReplaceStatusAsync(T resource, CancellationToken ct);
    /// <summary>Delete with background propagation; no error when already gone.</summary>
    Task DeleteAsync(ObjectKey key, CancellationToken ct);
}
