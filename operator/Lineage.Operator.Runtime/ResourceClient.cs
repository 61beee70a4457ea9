using System.Runtime.CompilerServices;
using k8s.Autorest;
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

    /// <summary>
    /// Watches through the client's own HTTP pipeline (its credentials, handlers and connection pool) and decodes the
    /// events from the response's bytes (<see cref="WatchLines"/>) rather than through KubernetesClient's Watcher.
    /// A refused watch throws the client's <see cref="HttpOperationException"/>, as its own calls do.
    /// </summary>
    public async IAsyncEnumerable<ResourceEvent<T>> WatchAsync(
        string? @namespace, string resourceVersion, TimeSpan timeout, [EnumeratorCancellation] CancellationToken ct)
    {
        var kubernetes = client as Kubernetes
            ?? throw new NotSupportedException($"watching {Kind} needs a k8s.Kubernetes client (its HttpClient and credentials), not a {client.GetType().Name}");
        var timeoutSeconds = Math.Max(1, (int)timeout.TotalSeconds);
        var query = $"?allowWatchBookmarks=true&resourceVersion={Uri.EscapeDataString(resourceVersion)}&timeoutSeconds={timeoutSeconds}&watch=true";
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(kubernetes.BaseUri, Kind.CollectionPath(@namespace) + query))
        {
            // The client's defaults: the operator's client asks for HTTP/2 as KubernetesClient does unless the
            // configuration disables it (OperatorClient); over plain http both end up on HTTP/1.1.
            Version = kubernetes.HttpClient.DefaultRequestVersion,
            VersionPolicy = kubernetes.HttpClient.DefaultVersionPolicy,
        };
        if (kubernetes.Credentials is { } credentials) await credentials.ProcessHttpRequestAsync(request, ct).ConfigureAwait(false);
        using var response = await kubernetes.HttpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
            throw new HttpOperationException($"watch of {Kind}: the server answered {(int)response.StatusCode} {response.StatusCode}: {body}")
            {
                Request = new HttpRequestMessageWrapper(request, ""),
                Response = new HttpResponseMessageWrapper(response, body),
            };
        }
        await using var stream = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        await foreach (var e in WatchLines.ReadAsync<T>(stream, Kind.ToString(), ct).ConfigureAwait(false))
            yield return e;
    }

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
