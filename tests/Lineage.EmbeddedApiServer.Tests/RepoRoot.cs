namespace Lineage.EmbeddedApiServer.Tests;

/// <summary>The repository's root (where Operator.sln is), for its crds/ and examples/.</summary>
internal static class RepoRoot
{
    public static readonly string Path = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (System.IO.File.Exists(System.IO.Path.Combine(dir.FullName, "Operator.sln"))) return dir.FullName;
        throw new InvalidOperationException($"Operator.sln not found above {AppContext.BaseDirectory}");
    }

    public static string File(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);
}
