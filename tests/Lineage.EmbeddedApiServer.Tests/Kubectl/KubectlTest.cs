using k8s;

namespace Lineage.EmbeddedApiServer.Tests.Kubectl;

/// <summary>A fresh server with the repository's CRDs, a kubeconfig for it, kubectl, and a client; logs go to a temp folder.</summary>
public abstract class KubectlTest : IAsyncLifetime
{
    private readonly DirectoryInfo work = Directory.CreateTempSubdirectory("lineage-kubectl");

    internal EmbeddedApiServer Server { get; private set; } = null!;
    internal Kubernetes Client { get; private set; } = null!;
    internal Kubectl Kubectl { get; private set; } = null!;
    internal string LogDirectory => Path.Combine(work.FullName, "logs");
    internal string WorkDirectory => work.FullName;

    public async Task InitializeAsync()
    {
        Server = await EmbeddedApiServer.StartAsync(new EmbeddedApiServerOptions { CrdDirectory = RepoRoot.File("crds"), PodLogDirectory = LogDirectory });
        var kubeconfig = Path.Combine(work.FullName, "kubeconfig");
        Server.WriteKubeconfig(kubeconfig);
        Client = new Kubernetes(Server.ClientConfiguration());
        Kubectl = new Kubectl(kubeconfig, Path.Combine(work.FullName, "cache"));
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
        work.Delete(recursive: true);
    }

    /// <summary>Writes a manifest into the test's folder and returns its path.</summary>
    internal string Manifest(string name, string yaml)
    {
        var path = Path.Combine(work.FullName, name);
        File.WriteAllText(path, yaml);
        return path;
    }

    internal static string Example(string file) => RepoRoot.File("examples", file);
}
