namespace Lineage.Operator.Tests.Hosting;

/// <summary>A fact that needs Prometheus's <c>promtool</c>; skipped, saying why, only when it is not on PATH (CI installs it).</summary>
public sealed class PromtoolFactAttribute : FactAttribute
{
    public static readonly string? Path = (Environment.GetEnvironmentVariable("PATH") ?? "")
        .Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
        .Select(dir => System.IO.Path.Combine(dir, "promtool"))
        .FirstOrDefault(File.Exists);

    public PromtoolFactAttribute()
    {
        if (Path is null)
            Skip = "promtool is not on PATH: install it with `apt-get install -y --no-install-recommends prometheus` (CI does)";
    }
}
