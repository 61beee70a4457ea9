using k8s;

namespace Lineage.EmbeddedApiServer.Tests;

/// <summary>A fresh server per test class with the test CRDs installed, and a real KubernetesClient on it.</summary>
public abstract class ServerTest : IAsyncLifetime
{
    protected EmbeddedApiServer Server { get; private set; } = null!;
    protected Kubernetes Client { get; private set; } = null!;
    protected Widgets Widgets { get; private set; } = null!;

    protected virtual EmbeddedApiServerOptions Options => new();

    public virtual async Task InitializeAsync()
    {
        Server = await EmbeddedApiServer.StartAsync(Options);
        Server.InstallCrdsFromDirectory(Path.Combine(AppContext.BaseDirectory, "crds"));
        Client = new Kubernetes(Server.ClientConfiguration());
        Widgets = new Widgets(Client);
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
    }

    protected static async Task<int> StatusCodeOf(Func<Task> call)
    {
        var error = await Assert.ThrowsAsync<k8s.Autorest.HttpOperationException>(call);
        return (int)error.Response.StatusCode;
    }
}
