using System.Text.Json.Nodes;
using k8s;
using Lineage.EmbeddedApiServer.Control;
using Lineage.EmbeddedApiServer.Http;
using Lineage.EmbeddedApiServer.Persistence;
using Lineage.EmbeddedApiServer.Storage;
using Lineage.EmbeddedApiServer.Yaml;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Lineage.EmbeddedApiServer;

/// <summary>
/// A Kubernetes API server in-process, over real HTTP, with the semantics kube-apiserver gives the objects
/// Lineage uses, kubectl support, and its state in SQLite (or in memory). See README.md.
/// <code>await using var server = await EmbeddedApiServer.StartAsync(new() { DataFile = "state.db", CrdDirectory = "crds" });
/// var client = new Kubernetes(server.ClientConfiguration());
/// server.WriteKubeconfig("kubeconfig");</code>
/// </summary>
public sealed class EmbeddedApiServer : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ObjectStore store;
    private readonly FaultInjector faults;

    private EmbeddedApiServer(WebApplication app, ObjectStore store, FaultInjector faults, RequestLog requests, Uri url, EmbeddedApiServerOptions options)
    {
        this.app = app;
        this.store = store;
        this.faults = faults;
        Requests = requests;
        Url = url;
        Options = options;
    }

    /// <summary>The base URL, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri Url { get; }

    public EmbeddedApiServerOptions Options { get; }

    /// <summary>Every request answered so far (verb, resource, status code).</summary>
    public RequestLog Requests { get; }

    /// <summary>The newest resourceVersion handed out.</summary>
    public long ResourceVersion => store.CurrentResourceVersion;

    /// <summary>Watch streams open right now.</summary>
    public int OpenWatches => store.OpenWatchCount;

    /// <summary>
    /// Opens the data file (if any) and loads it, creates the initial namespaces, installs or updates the CRDs of
    /// <see cref="EmbeddedApiServerOptions.CrdDirectory"/>, and starts listening.
    /// </summary>
    /// <exception cref="InvalidDataException">The data file or a CRD file cannot be used (the message names it).</exception>
    public static async Task<EmbeddedApiServer> StartAsync(EmbeddedApiServerOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new EmbeddedApiServerOptions();
        var store = new ObjectStore(options, options.DataFile is null ? null : SqliteLog.Open(options.DataFile));
        try
        {
            store.Start();
            if (options.CrdDirectory is not null) InstallCrdsFromDirectory(store, options.CrdDirectory);
        }
        catch
        {
            store.Dispose();
            throw;
        }
        var faults = new FaultInjector();
        var requests = new RequestLog(options.RequestLogCapacity);

        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(options.Address, options.Port);
            kestrel.Limits.MaxRequestBodySize = 64 * 1024 * 1024;
        });
        var app = builder.Build();
        var handler = new ApiHandler(store, requests, faults, options, new PodLogs(store, options.PodLogDirectory));
        app.Run(handler.Handle);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            store.Dispose();
            throw;
        }

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new EmbeddedApiServer(app, store, faults, requests, new Uri(address.TrimEnd('/') + "/"), options);
    }

    /// <summary>A client configuration for this server (no TLS, no credentials, namespace "default").</summary>
    public KubernetesClientConfiguration ClientConfiguration() => new()
    {
        Host = Url.ToString().TrimEnd('/'),
        Namespace = "default",
    };

    /// <summary>Writes a kubeconfig pointing at this server, for kubectl or for code that loads one (creates its directory).</summary>
    public void WriteKubeconfig(string path)
    {
        if (Path.GetDirectoryName(Path.GetFullPath(path)) is { } directory) Directory.CreateDirectory(directory);
        // Written aside and renamed over the old one: a reader (kubectl, a test waiting for a restarted local run)
        // sees the previous file or the new one, never a truncated one.
        var temp = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            File.WriteAllText(temp, Kubeconfig.Render(Url));
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <summary>
    /// Forgets the event history up to now (an etcd compaction): a watch from any resourceVersion older than
    /// the newest gets 410 Gone. A client that has seen everything is not expired, as on a real cluster.
    /// </summary>
    public void CompactHistory() => store.CompactHistory();

    /// <summary>Ends every open watch stream (clients see the stream end, as on an API server restart). Returns how many.</summary>
    public int DropWatches() => store.DropWatches();

    /// <summary>
    /// Fails the next <paramref name="count"/> requests whose path and query contain <paramref name="pathContains"/>
    /// (any request if null) and, if given, use <paramref name="method"/> and come from a User-Agent containing
    /// <paramref name="userAgentContains"/>, with a Status of <paramref name="statusCode"/> (its reason <paramref name="reason"/>,
    /// e.g. <c>AlreadyExists</c> for a 409 to a create, else the code's usual one) and, if given, a
    /// <c>Retry-After: <paramref name="retryAfterSeconds"/></c> header (as kube-apiserver's 429s carry).
    /// </summary>
    public void FailNext(int count, int statusCode, string? pathContains = null, string? method = null, int? retryAfterSeconds = null,
        string? userAgentContains = null, string? reason = null) =>
        faults.Add(count, statusCode, pathContains, method, retryAfterSeconds, userAgentContains, reason);

    /// <summary>Answers the next <paramref name="count"/> matching requests (as for <see cref="FailNext"/>) only after <paramref name="delay"/>: a slow server.</summary>
    public void DelayNext(int count, TimeSpan delay, string? pathContains = null, string? method = null, string? userAgentContains = null) =>
        faults.AddDelay(count, delay, pathContains, method, userAgentContains);

    /// <summary>Faults injected so far by <see cref="FailNext"/> and <see cref="DelayNext"/>, by kind (the status code, or <c>delay</c>).</summary>
    public IReadOnlyDictionary<string, int> InjectedFaults => faults.Injected;

    /// <summary>Removes every pending injected failure.</summary>
    public void ClearFailures() => faults.Clear();

    /// <summary>Installs (or updates) every CustomResourceDefinition in the *.yaml, *.yml and *.json files of a directory.</summary>
    /// <returns>The names of the CRDs installed.</returns>
    public IReadOnlyList<string> InstallCrdsFromDirectory(string directory) => InstallCrdsFromDirectory(store, directory);

    /// <summary>Installs (or updates) the CustomResourceDefinitions in one YAML or JSON file (several documents allowed).</summary>
    public IReadOnlyList<string> InstallCrds(string file) => InstallCrds(store, file);

    private static IReadOnlyList<string> InstallCrdsFromDirectory(ObjectStore store, string directory)
    {
        if (!Directory.Exists(directory)) throw new DirectoryNotFoundException($"CRD directory not found: {directory}");
        var files = Directory.EnumerateFiles(directory)
            .Where(f => f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".yml", StringComparison.Ordinal) || f.EndsWith(".json", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);
        return files.SelectMany(file => InstallCrds(store, file)).ToList();
    }

    private static IReadOnlyList<string> InstallCrds(ObjectStore store, string file)
    {
        var installed = new List<string>();
        var documents = YamlDocuments.Parse(File.ReadAllText(file));
        foreach (var (document, index) in documents.Select((d, i) => (d, i + 1)))
        {
            if (document is not JsonObject crd || crd["kind"]?.GetValue<string>() != "CustomResourceDefinition")
                throw new InvalidDataException($"{file}: document {index} is not a CustomResourceDefinition");
            try
            {
                installed.Add(store.InstallCrd(crd).Name);
            }
            catch (ApiException error)
            {
                throw new InvalidDataException($"{file}: document {index}: {error.Message}", error);
            }
        }
        return installed;
    }

    public async ValueTask DisposeAsync()
    {
        store.DropWatches();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await app.StopAsync(timeout.Token).ConfigureAwait(false);
        await app.DisposeAsync().ConfigureAwait(false);
        store.Dispose();
    }
}
