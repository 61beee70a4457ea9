namespace Lineage.Operator.Tests;

/// <summary>The repository checkout the tests run from (the folder holding Operator.sln).</summary>
static class RepoRoot
{
    public static readonly string Path = Find();

    static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (System.IO.File.Exists(System.IO.Path.Combine(dir.FullName, "Operator.sln"))) return dir.FullName;
        throw new InvalidOperationException($"Operator.sln not found above {AppContext.BaseDirectory}");
    }

    public static string File(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);
}
