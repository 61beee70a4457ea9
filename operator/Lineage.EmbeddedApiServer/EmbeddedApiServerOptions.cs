using System.Net;

namespace Lineage.EmbeddedApiServer;

/// <summary>How the embedded API server runs. The defaults suit tests: memory only, 127.0.0.1, a random port.</summary>
public sealed record EmbeddedApiServerOptions
{
    /// <summary>
    /// The SQLite file that holds the state (created if absent; WAL mode). Null: state lives in memory only and
    /// is gone when the server stops. With a file, every write is committed before it is acknowledged and a
    /// server restarted on the same file serves the same objects, resourceVersions, CRDs and namespaces.
    /// </summary>
    public string? DataFile { get; init; }

    /// <summary>The address to listen on. Default 127.0.0.1 (the server checks no credentials: keep it local).</summary>
    public IPAddress Address { get; init; } = IPAddress.Loopback;

    /// <summary>The TCP port; 0 takes a free one (see <see cref="EmbeddedApiServer.Url"/>). Default 0.</summary>
    public int Port { get; init; }

    /// <summary>A directory of CRD files (*.yaml, *.yml, *.json) installed at start; a CRD that exists is updated. Default none.</summary>
    public string? CrdDirectory { get; init; }

    /// <summary>
    /// Where the node writes container logs, served as <c>pods/log</c>: container C of pod P in namespace N is the file
    /// <c>&lt;PodLogDirectory&gt;/N/P/C.log</c>. Null: every log request answers as for a container that has not started.
    /// </summary>
    public string? PodLogDirectory { get; init; }

    /// <summary>Events kept per resource collection for watch replay; older resourceVersions get 410 Gone. Default 10,000.</summary>
    public int HistoryCapacity { get; init; } = 10_000;

    /// <summary>How often a watch with <c>allowWatchBookmarks=true</c> gets a BOOKMARK. Default 60 s, about what kube-apiserver does.</summary>
    public TimeSpan BookmarkInterval { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Seed of the generateName suffixes, so names are reproducible. Default 1.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Namespaces that exist from the start. Default default, kube-system.</summary>
    public IReadOnlyList<string> InitialNamespaces { get; init; } = ["default", "kube-system"];

    /// <summary>
    /// Whether objects may be created in a namespace that has no Namespace object (convenient in tests). False is
    /// what kube-apiserver does (404 <c>namespaces "ml" not found</c>); local mode should set it. Default true.
    /// </summary>
    public bool ImplicitNamespaces { get; init; } = true;

    /// <summary>Individual request records kept in <see cref="RequestLog"/> (counts stay exact beyond it). Default 100,000.</summary>
    public int RequestLogCapacity { get; init; } = 100_000;
}
