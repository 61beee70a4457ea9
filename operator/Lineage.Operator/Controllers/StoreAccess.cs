using System.Collections.Concurrent;
using System.Text;
using k8s.Models;
using Lineage.Operator.Api.V1Alpha1;
using Lineage.Operator.Decisions;
using Lineage.Operator.Runtime;
using Lineage.Store;
using Lineage.Store.S3;

namespace Lineage.Operator.Controllers;

/// <summary>
/// The operator's view of a storage spec: whether its Secret is usable, and the store itself, opened with the
/// Secret's keys (the operator reads progress.json and eval/result.json, and applies retention). Every store the
/// operator opens goes through here, so here the tenant policy refuses a file:// store outside local mode.
/// </summary>
public sealed class StoreAccess(IResourceClient<V1Secret> secrets, TenantPolicy policy)
{
    /// <summary>The guard rails the controllers check a spec against before they render a pod or open its store.</summary>
    public TenantPolicy Policy => policy;

    readonly ConcurrentDictionary<string, IArtifactStore> _stores = new();

    public async Task<SecretState> SecretStateAsync(string @namespace, StorageSpec storage, CancellationToken ct)
    {
        if (storage.SecretName is null) return SecretState.NotNeeded;
        V1Secret? secret;
        try { secret = await secrets.GetAsync(new ObjectKey(@namespace, storage.SecretName), ct).ConfigureAwait(false); }
        catch (Exception e) when (ApiErrors.StatusOf(e) == System.Net.HttpStatusCode.Forbidden) { return SecretState.Forbidden; }
        if (secret is null) return SecretState.Missing;
        return Value(secret, StorageSpec.AccessKeyIdKey) is { Length: > 0 } && Value(secret, StorageSpec.SecretAccessKeyKey) is { Length: > 0 }
            ? SecretState.Found
            : SecretState.KeyMissing;
    }

    /// <summary>The store rooted at storage.uri; throws when its Secret is unusable.</summary>
    public async Task<IArtifactStore> OpenAsync(string @namespace, StorageSpec storage, CancellationToken ct)
    {
        if (policy.StorageProblem(storage) is { } refused) throw new InvalidOperationException(refused);
        if (storage.Uri.StartsWith("file://", StringComparison.Ordinal))
            return _stores.GetOrAdd(storage.Uri, uri => ArtifactLocation.OpenStore(uri));
        var secret = storage.SecretName is null ? null : await secrets.GetAsync(new ObjectKey(@namespace, storage.SecretName), ct).ConfigureAwait(false);
        var settings = new S3Settings
        {
            Endpoint = storage.EffectiveEndpoint(),
            Secure = !storage.EffectiveEndpoint().StartsWith("http://", StringComparison.OrdinalIgnoreCase),
            Region = storage.Region,
            AccessKey = (secret is null ? null : Value(secret, StorageSpec.AccessKeyIdKey))
                ?? throw new InvalidOperationException($"Secret {@namespace}/{storage.SecretName} has no {StorageSpec.AccessKeyIdKey}"),
            SecretKey = (secret is null ? null : Value(secret, StorageSpec.SecretAccessKeyKey))
                ?? throw new InvalidOperationException($"Secret {@namespace}/{storage.SecretName} has no {StorageSpec.SecretAccessKeyKey}"),
        };
        var cacheKey = $"{storage.Uri}|{settings.Endpoint}|{settings.AccessKey}|{settings.SecretKey.GetHashCode()}";
        return _stores.GetOrAdd(cacheKey, _ => ArtifactLocation.OpenStore(storage.Uri, () => settings));
    }

    static string? Value(V1Secret secret, string key) =>
        secret.Data?.TryGetValue(key, out var bytes) == true ? Encoding.UTF8.GetString(bytes)
        : secret.StringData?.TryGetValue(key, out var text) == true ? text
        : null;
}
