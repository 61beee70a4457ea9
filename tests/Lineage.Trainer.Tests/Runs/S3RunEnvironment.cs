using Lineage.Store.Tests.Support;

namespace Lineage.Trainer.Tests.Runs;

/// <summary>
/// A real S3 server reached the way a trainer pod reaches it: through the process-wide LINEAGE_S3_* variables, and a
/// local cache per "pod" (LINEAGE_CACHE_DIR). The variables are put back on dispose. Process-wide, so only for tests in
/// <see cref="StoreEnvironmentCollection"/>.
/// </summary>
sealed class S3RunEnvironment : IDisposable
{
    static readonly string[] Variables = ["LINEAGE_S3_ENDPOINT", "LINEAGE_S3_ACCESS_KEY", "LINEAGE_S3_SECRET_KEY", "LINEAGE_CACHE_DIR"];
    readonly Dictionary<string, string?> saved = Variables.ToDictionary(v => v, Environment.GetEnvironmentVariable);

    public S3rverServer Server { get; } = new();
    public TemporaryDirectory Dir { get; } = new();

    public S3RunEnvironment()
    {
        Environment.SetEnvironmentVariable("LINEAGE_S3_ENDPOINT", $"http://127.0.0.1:{Server.Port}");
        Environment.SetEnvironmentVariable("LINEAGE_S3_ACCESS_KEY", "S3RVER");
        Environment.SetEnvironmentVariable("LINEAGE_S3_SECRET_KEY", "S3RVER");
    }

    public string Uri(string key) => $"s3://{S3rverServer.Bucket}/{key}";

    /// <summary>From now on runs behave as in a new pod whose local disk is the (empty) folder <paramref name="name"/>; returns it.</summary>
    public string Pod(string name)
    {
        string path = Dir.File(name);
        Environment.SetEnvironmentVariable("LINEAGE_CACHE_DIR", path);
        return path;
    }

    public void Dispose()
    {
        foreach (var (name, value) in saved) Environment.SetEnvironmentVariable(name, value);
        Server.Dispose();
        Dir.Dispose();
    }
}
