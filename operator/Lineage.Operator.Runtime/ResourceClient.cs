using System.Runtime.CompilerServices;
using k8s;
using k8s.Models;

namespace Lineage.Operator.Runtime;

/// <summary>
/// <see cref="IResourceClient{T}"/> for any namespaced kind, custom or built-in, through KubernetesClient's
/// CustomObjects operations: with the group, version and plural from <c>[KubernetesEntity]</c> they address
/// <c>/apis/{group}/{version}/…</c>, or <c>/api/v1/…</c> for the core group, exactly like the typed clients.
/// </summary>
/// <param name="client">The API server.</param>
/// <param name="fieldManager">Named on every create and update (managedFields); null lets the server derive it.</param>
public sealed class ResourceClient<T>(IKubernetes client, string? fieldManager = null) : IResourceClient<T>, IWatchSource<T>
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    const int PageSize = 500;
    static readonly KindInfo Kind = KindInfo.Of<T>();

    public async Task<T?> GetAsync(ObjectKey key, CancellationToken ct)
    {
        try
        {
            return await client.CustomObjects.GetNamespacedCustomObjectAsync<T>(
                Kind.Group, Kind.Version, key.Namespace, Kind.Plural, key.Name, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (ApiErrors.IsNotFound(e))
        {
            return null;
        }
    }

    public async Task<IReadOnlyList<T>> ListAsync(string? @namespace, string? labelSelector, CancellationToken ct) =>
        (await ListPagesAsync(@namespace, labelSelector, ct).ConfigureAwait(false)).Items;

    public Task<ResourceSnapshot<T>> ListAllAsync(string? @namespace, CancellationToken ct) =>
        ListPagesAsync(@namespace, null, ct);

    // A write's answer is decoded as a watch event's object is (WatchedObject): without its managedFields, which the
    // server sends whole on every answer and nothing here reads (a PUT without them keeps the stored ones), and with
    // the repeated strings shared. Decoding them was a JsonDocument per entry on every write.
    public async Task<T> CreateAsync(T resource, CancellationToken ct) => Answer(await client.CustomObjects.CreateNamespacedCustomObjectAsync<WatchedObject<T>>(
        resource, Kind.Group, Kind.Version, NamespaceOf(resource), Kind.Plural, fieldManager: fieldManager, cancellationToken: ct).ConfigureAwait(false), resource);

    public async Task<T> ReplaceAsync(T resource, CancellationToken ct) => Answer(await client.CustomObjects.ReplaceNamespacedCustomObjectAsync<WatchedObject<T>>(
        resource, Kind.Group, Kind.Version, NamespaceOf(resource), Kind.Plural, NameOf(resource), fieldManager: fieldManager, cancellationToken: ct).ConfigureAwait(false), resource);

    public async Task<T> ReplaceStatusAsync(T resource, CancellationToken ct) => Answer(await client.CustomObjects.ReplaceNamespacedCustomObjectStatusAsync<WatchedObject<T>>(
        resource, Kind.Group, Kind.Version, NamespaceOf(resource), Kind.Plural, NameOf(resource), fieldManager: fieldManager, cancellationToken: ct).ConfigureAwait(false), resource);

    static T Answer(WatchedObject<T>? answer, T sent) =>
        answer?.Value ?? throw new IOException($"{Kind.Kind} {sent.Metadata?.Name}: the API server answered the write without the object");

    public async Task DeleteAsync(ObjectKey key, CancellationToken ct)
    {
        try
        {
            await client.CustomObjects.DeleteNamespacedCustomObjectAsync<V1Status>(
                Kind.Group, Kind.Version, key.Namespace, Kind.Plural, key.Name,
                body: new V1DeleteOptions { PropagationPolicy = "Background" },
                propagationPolicy: "Background", cancellationToken: ct).ConfigureAwait(false);
        }
        catch (Exception e) when (ApiErrors.IsNotFound(e))
        {
        }
    }

    public async IAsyncEnumerable<ResourceEvent<T>> WatchAsync(
        string? @namespace, string resourceVersion, TimeSpan timeout, [EnumeratorCancellation] CancellationToken ct)
    {
        Exception? streamError = null;
        var timeoutSeconds = Math.Max(1, (int)timeout.TotalSeconds);
        var response = @namespace is null
            ? client.CustomObjects.ListCustomObjectForAllNamespacesWithHttpMessagesAsync<object>(
                Kind.Group, Kind.Version, Kind.Plural, allowWatchBookmarks: true, resourceVersion: resourceVersion,
                timeoutSeconds: timeoutSeconds, watch: true, cancellationToken: ct)
            : client.CustomObjects.ListNamespacedCustomObjectWithHttpMessagesAsync<object>(
                Kind.Group, Kind.Version, @namespace, Kind.Plural, allowWatchBookmarks: true, resourceVersion: resourceVersion,
                timeoutSeconds: timeoutSeconds, watch: true, cancellationToken: ct);

        // KubernetesClient's Watcher reports a Status object (an ERROR event such as 410 Gone) through the error callback.
        await foreach (var (type, watched) in response.WatchAsync<WatchedObject<T>, object>(e => streamError = e, ct).ConfigureAwait(false))
            yield return Decode(type, watched?.Value);

        if (streamError is null || ct.IsCancellationRequested) yield break;
        // KubernetesClient turns an ERROR event into a KubernetesException carrying the server's Status.
        if (streamError is KubernetesException { Status.Code: 410 } expired)
            throw new WatchExpiredException(expired.Status.Message);
        throw new IOException($"watch of {Kind} broke: {streamError.Message}", streamError);
    }

    static ResourceEvent<T> Decode(WatchEventType type, T? obj) => type switch
    {
        WatchEventType.Error => new ResourceEvent<T>(type, null, null, null, $"an ERROR event that is not a Status: {obj?.Metadata?.Name}"),
        WatchEventType.Bookmark => new ResourceEvent<T>(type, null, obj?.Metadata?.ResourceVersion),
        _ => new ResourceEvent<T>(type, obj ?? throw new IOException($"watch of {Kind}: a {type} event without an object"), obj.Metadata?.ResourceVersion),
    };

    async Task<ResourceSnapshot<T>> ListPagesAsync(string? @namespace, string? labelSelector, CancellationToken ct)
    {
        var items = new List<T>();
        string? continueToken = null;
        string resourceVersion;
        do
        {
            var page = @namespace is null
                ? await client.CustomObjects.ListCustomObjectForAllNamespacesAsync<ResourceList<T>>(
                    Kind.Group, Kind.Version, Kind.Plural, continueParameter: continueToken, labelSelector: labelSelector,
                    limit: PageSize, cancellationToken: ct).ConfigureAwait(false)
                : await client.CustomObjects.ListNamespacedCustomObjectAsync<ResourceList<T>>(
                    Kind.Group, Kind.Version, @namespace, Kind.Plural, continueParameter: continueToken, labelSelector: labelSelector,
                    limit: PageSize, cancellationToken: ct).ConfigureAwait(false);
            items.AddRange(page.Items ?? []);
            resourceVersion = page.Metadata?.ResourceVersion ?? "";
            continueToken = string.IsNullOrEmpty(page.Metadata?.ContinueProperty) ? null : page.Metadata.ContinueProperty;
        }
        while (continueToken is not null);
        return new ResourceSnapshot<T>(items, resourceVersion);
    }

    static string NamespaceOf(T resource) => resource.Metadata?.NamespaceProperty is { Length: > 0 } ns
        ? ns
        : throw new ArgumentException($"{Kind.Kind} {resource.Metadata?.Name}: metadata.namespace is required.");

    static string NameOf(T resource) => resource.Metadata?.Name is { Length: > 0 } name
        ? name
        : throw new ArgumentException($"{Kind.Kind}: metadata.name is required.");
}
