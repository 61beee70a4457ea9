using k8s;
using Lineage.KubeApiServer;

namespace Lineage.Operator.Tests.Runtime;

/// <summary>A fresh test API server with the Widget CRD installed, and a client for it.</summary>
public sealed class ApiServer : IAsyncDisposable
{
    ApiServer(KubeApiServer.KubeApiServer server)
    {
        Server = server;
        Client = new Kubernetes(server.ClientConfiguration());
    }

    public KubeApiServer.KubeApiServer Server { get; }
    public Kubernetes Client { get; }

    public static async Task<ApiServer> StartAsync(KubeApiServerOptions? options = null)
    {
        var server = await KubeApiServer.KubeApiServer.StartAsync(options);
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
