using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;

namespace Lineage.Operator.Local;

/// <summary>
/// <c>local --apply PATH</c>: each manifest (a file, or every *.yaml/*.yml/*.json of a folder in name order) is applied
/// by server-side apply, as <c>kubectl apply --server-side</c> would, after the kind is found by API discovery. A
/// refused document is an error naming the file, the document and the server's message; those before it stay applied.
/// </summary>
public sealed class ManifestApplier(IKubernetes client)
{
    public const string FieldManager = "lineage-operator";

    readonly Dictionary<(string ApiVersion, string Kind), (string Plural, bool Namespaced)> _resources = [];

    public sealed record Applied(string File, string Kind, string? Namespace, string Name);

    public static IReadOnlyList<string> Files(string path)
    {
        if (File.Exists(path)) return [path];
        if (!Directory.Exists(path)) throw new FileNotFoundException($"--apply: '{path}' is neither a file nor a folder", path);
        return Directory.EnumerateFiles(path).Where(f => f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".yml", StringComparison.Ordinal)
            || f.EndsWith(".json", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
    }

    public async Task<IReadOnlyList<Applied>> ApplyAsync(string path, CancellationToken ct)
    {
        var applied = new List<Applied>();
        foreach (var file in Files(path))
        {
            var documents = Yaml11.Documents(await File.ReadAllTextAsync(file, ct).ConfigureAwait(false), file);
            foreach (var (document, index) in documents.Select((d, i) => (d, i + 1)))
                applied.Add(await ApplyAsync(document, $"{file} (document {index})", file, ct).ConfigureAwait(false));
        }
        return applied;
    }

    async Task<Applied> ApplyAsync(JsonObject document, string where, string file, CancellationToken ct)
    {
        var apiVersion = (string?)document["apiVersion"] ?? throw new FormatException($"{where}: apiVersion is missing");
        var kind = (string?)document["kind"] ?? throw new FormatException($"{where}: kind is missing");
        var name = (string?)document["metadata"]?["name"] ?? throw new FormatException($"{where}: metadata.name is missing");
        var (plural, namespaced) = await ResourceAsync(apiVersion, kind, where, ct).ConfigureAwait(false);
        var ns = namespaced ? (string?)document["metadata"]?["namespace"] ?? "default" : null;
        if (namespaced) document["metadata"]!["namespace"] = ns;

        var prefix = apiVersion.Contains('/', StringComparison.Ordinal) ? $"apis/{apiVersion}" : $"api/{apiVersion}";
        var url = $"{prefix}{(ns is null ? "" : $"/namespaces/{ns}")}/{plural}/{Uri.EscapeDataString(name)}?fieldManager={FieldManager}&force=true";
        using var request = new HttpRequestMessage(HttpMethod.Patch, Absolute(url))
        {
            Content = new StringContent(document.ToJsonString(), Encoding.UTF8),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/apply-patch+yaml");
        using var response = await SendAsync(request, ct).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"{where}: {kind} {name} was refused: {await MessageAsync(response, ct).ConfigureAwait(false)}");
        return new Applied(file, kind, ns, name);
    }

    async Task<(string Plural, bool Namespaced)> ResourceAsync(string apiVersion, string kind, string where, CancellationToken ct)
    {
        if (_resources.TryGetValue((apiVersion, kind), out var known)) return known;
        var path = apiVersion.Contains('/', StringComparison.Ordinal) ? $"apis/{apiVersion}" : $"api/{apiVersion}";
        using var request = new HttpRequestMessage(HttpMethod.Get, Absolute(path));
        using var response = await SendAsync(request, ct).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound) throw new InvalidOperationException($"{where}: the server does not serve {apiVersion} (are the CRDs installed?)");
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{where}: discovery of {apiVersion} failed: {await MessageAsync(response, ct).ConfigureAwait(false)}");
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false));
        foreach (var resource in json.RootElement.GetProperty("resources").EnumerateArray())
        {
            var resourceName = resource.GetProperty("name").GetString()!;
            if (resourceName.Contains('/', StringComparison.Ordinal)) continue;
            _resources[(apiVersion, resource.GetProperty("kind").GetString()!)] = (resourceName, resource.GetProperty("namespaced").GetBoolean());
        }
        return _resources.TryGetValue((apiVersion, kind), out var found) ? found
            : throw new InvalidOperationException($"{where}: the server has no kind {kind} in {apiVersion}");
    }

    Uri Absolute(string relative) => new(new Uri(client.BaseUri.ToString().TrimEnd('/') + "/"), relative);

    async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        var kubernetes = (Kubernetes)client;
        if (kubernetes.Credentials is { } credentials) await credentials.ProcessHttpRequestAsync(request, ct).ConfigureAwait(false);
        return await kubernetes.HttpClient.SendAsync(request, ct).ConfigureAwait(false);
    }

    static async Task<string> MessageAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var body = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
        try { return JsonNode.Parse(body)?["message"]?.GetValue<string>() ?? $"{(int)response.StatusCode} {body}"; }
        catch (JsonException) { return $"{(int)response.StatusCode} {body}"; }
    }
}
