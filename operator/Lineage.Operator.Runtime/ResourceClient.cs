using System.Buffers;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using k8s.Autorest;
using k8s;
using k8s.Models;

namespace Lineage.Operator.Runtime;

/// <summary>
/// <see cref="IResourceClient{T}"/> for any namespaced kind, custom or built-in: with the group, version and plural from
/// <c>[KubernetesEntity]</c> it addresses <c>/apis/{group}/{version}/…</c>, or <c>/api/v1/…</c> for the core group,
/// exactly like the typed clients. Writes and watches are sent on KubernetesClient's HttpClient (its handlers, credentials
/// and connections) and decoded here from bytes; gets, lists and deletes go through its CustomObjects operations.
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

    public Task<T> CreateAsync(T resource, CancellationToken ct) =>
        WriteAsync(HttpMethod.Post, Kind.CollectionPath(NamespaceOf(resource)), resource, ct);

    public Task<T> ReplaceAsync(T resource, CancellationToken ct) =>
        WriteAsync(HttpMethod.Put, $"{Kind.CollectionPath(NamespaceOf(resource))}/{Uri.EscapeDataString(NameOf(resource))}", resource, ct);

    public Task<T> ReplaceStatusAsync(T resource, CancellationToken ct) =>
        WriteAsync(HttpMethod.Put, $"{Kind.CollectionPath(NamespaceOf(resource))}/{Uri.EscapeDataString(NameOf(resource))}/status", resource, ct);

    /// <summary>
    /// One write through the client's own HTTP pipeline (credentials, handlers, connections), as the watches go: the body
    /// is serialized straight to UTF-8 with the client's JSON options, and the answer is decoded from its bytes as a watch
    /// event's object is (<see cref="WatchJson"/>: without managedFields, which the server sends whole on every answer and
    /// nothing here reads; a PUT without them keeps the stored ones). KubernetesClient's own calls serialize to a string,
    /// send it re-encoded, and go through four more async layers per write.
    /// </summary>
    async Task<T> WriteAsync(HttpMethod method, string path, T resource, CancellationToken ct)
    {
        var kubernetes = Http();
        var query = fieldManager is null ? "" : $"?fieldManager={Uri.EscapeDataString(fieldManager)}";
        using var request = Request(kubernetes, method, path + query);
        request.Content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(resource, WatchJson.ClientOptions));
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (kubernetes.Credentials is { } credentials) await credentials.ProcessHttpRequestAsync(request, ct).ConfigureAwait(false);
        using var response = await kubernetes.HttpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode) throw await RefusedAsync($"{method} {Kind.Kind} {resource.Metadata?.Name}", request, response, ct).ConfigureAwait(false);
        await using var stream = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        var (buffer, length) = await ReadAllAsync(stream, response.Content.Headers.ContentLength, ct).ConfigureAwait(false);
        try
        {
            return (length == 0 ? null : JsonSerializer.Deserialize<T>(buffer.AsSpan(0, length), WatchJson.Options))
                ?? throw new IOException($"{Kind.Kind} {resource.Metadata?.Name}: the API server answered the write without the object");
        }
        catch (JsonException e)
        {
            throw new IOException($"{Kind.Kind} {resource.Metadata?.Name}: the API server's answer to the write is not a {Kind.Kind}: {e.Message}", e);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The whole body, in a pooled buffer the caller returns.</summary>
    static async Task<(byte[] Buffer, int Length)> ReadAllAsync(Stream stream, long? announced, CancellationToken ct)
    {
        // One byte more than announced, so the read that finds the end needs no larger buffer.
        var buffer = ArrayPool<byte>.Shared.Rent(announced is > 0 and < int.MaxValue - 1 ? (int)announced.Value + 1 : 16 * 1024);
        var length = 0;
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer.AsMemory(length), ct).ConfigureAwait(false)) > 0)
            {
                length += read;
                if (length < buffer.Length) continue;
                var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                buffer.AsSpan(0, length).CopyTo(larger);
                ArrayPool<byte>.Shared.Return(buffer);
                buffer = larger;
            }
            return (buffer, length);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    /// <summary>The client's <see cref="HttpOperationException"/> for a refused request, as its own calls throw it: the
    /// answer's code and body (a Status) are what <see cref="ApiErrors"/> reads.</summary>
    static async Task<HttpOperationException> RefusedAsync(string what, HttpRequestMessage request, HttpResponseMessage response, CancellationToken ct)
    {
        var body = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
        return new HttpOperationException($"{what}: the server answered {(int)response.StatusCode} {response.StatusCode}: {body}")
        {
            Request = new HttpRequestMessageWrapper(request, ""),
            Response = new HttpResponseMessageWrapper(response, body),
        };
    }

    Kubernetes Http() => client as Kubernetes
        ?? throw new NotSupportedException($"writing and watching {Kind} need a k8s.Kubernetes client (its HttpClient and credentials), not a {client.GetType().Name}");

    /// <summary>A request to the server with the client's defaults: the operator's client asks for HTTP/2 as KubernetesClient
    /// does unless the configuration disables it (OperatorClient); over plain http both end up on HTTP/1.1.</summary>
    static HttpRequestMessage Request(Kubernetes kubernetes, HttpMethod method, string relative) => new(method, new Uri(kubernetes.BaseUri, relative))
    {
        Version = kubernetes.HttpClient.DefaultRequestVersion,
        VersionPolicy = kubernetes.HttpClient.DefaultVersionPolicy,
    };

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
        var kubernetes = Http();
        var timeoutSeconds = Math.Max(1, (int)timeout.TotalSeconds);
        var query = $"?allowWatchBookmarks=true&resourceVersion={Uri.EscapeDataString(resourceVersion)}&timeoutSeconds={timeoutSeconds}&watch=true";
        using var request = Request(kubernetes, HttpMethod.Get, Kind.CollectionPath(@namespace) + query);
        if (kubernetes.Credentials is { } credentials) await credentials.ProcessHttpRequestAsync(request, ct).ConfigureAwait(false);
        using var response = await kubernetes.HttpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode) throw await RefusedAsync($"watch of {Kind}", request, response, ct).ConfigureAwait(false);
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
