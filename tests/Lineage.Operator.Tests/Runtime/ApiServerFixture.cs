using k8s;
using Lineage.EmbeddedApiServer;

namespace Lineage.Operator.Tests.Runtime;

/// <summary>A fresh test API server with the Widget CRD installed, and a client for it.</summary>
public sealed class ApiServer : IAsyncDisposable
{
    ApiServer(EmbeddedApiServer.EmbeddedApiServer server)
    {
        Server = server;
        Client = new Kubernetes(server.ClientConfiguration());
    }

    public EmbeddedApiServer.EmbeddedApiServer Server { get; }
    public Kubernetes Client { get; }

    public static async Task<ApiServer> StartAsync(EmbeddedApiServerOptions? options = null)
    {
        var server = await EmbeddedApiServer.EmbeddedApiServer.StartAsync(options);
        server.InstallCrds(Path.Combine(AppContext.BaseDirectory, "crds", "widgets.yaml"));
        return new ApiServer(server);
    }

    /// <summary>The operator's own CRDs from the repository's crds/ (for tests that run its registered controllers).</summary>
    public void InstallLineageCrds() => Server.InstallCrdsFromDirectory(RepoRoot.File("crds"));

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
    }
}
