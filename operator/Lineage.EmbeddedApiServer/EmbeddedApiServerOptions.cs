namespace Lineage.EmbeddedApiServer;

/// <summary>Tunables of the test API server. The defaults suit operator tests.</summary>
public sealed record EmbeddedApiServerOptions
{
    /// <summary>Events kept per resource collection for watch replay; older resourceVersions get 410 Gone. Default 10,000.</summary>
    public int HistoryCapacity { get; init; } = 10_000;

    /// <summary>How often a watch with <c>allowWatchBookmarks=true</c> gets a BOOKMARK. Default 1 s (the real server: about a minute).</summary>
    public TimeSpan BookmarkInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Seed of the generateName suffixes, so names are reproducible. Default 1.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Namespaces that exist from the start (others exist implicitly, see README). Default default, kube-system.</summary>
    public IReadOnlyList<string> InitialNamespaces { get; init; } = ["default", "kube-system"];

    /// <summary>Individual request records kept in <see cref="RequestLog"/> (counts stay exact beyond it). Default 100,000.</summary>
    public int RequestLogCapacity { get; init; } = 100_000;
}
