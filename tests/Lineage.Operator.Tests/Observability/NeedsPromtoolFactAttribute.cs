namespace Lineage.Operator.Tests.Observability;

/// <summary>A fact that runs Prometheus's promtool; skipped, saying why, only when promtool is not on PATH.</summary>
public sealed class NeedsPromtoolFactAttribute : FactAttribute
{
    public static readonly string? Path = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':')
        .Select(dir => System.IO.Path.Combine(dir, "promtool")).FirstOrDefault(File.Exists);

    public NeedsPromtoolFactAttribute()
    {
        if (Path is null) Skip = "promtool is not on PATH: apt-get install -y --no-install-recommends prometheus";
    }
}
