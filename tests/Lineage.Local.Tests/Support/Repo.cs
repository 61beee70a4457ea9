namespace Lineage.Local.Tests.Support;

/// <summary>The checkout and the built programs the tests run (the same configuration as the tests).</summary>
static class Repo
{
    public static readonly string Root = Find();
    static readonly string Configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;

    public static string OperatorDll => Built(Path.Combine(Root, "operator", "Lineage.Operator", "bin", Configuration, "net10.0", "lineage-operator.dll"));
    public static string TrainerDll => Built(Path.Combine(Root, "trainer-image", "Lineage.Trainer.Cli", "bin", Configuration, "net10.0", "lineage-trainer.dll"));

    public static string File(params string[] parts) => Path.Combine([Root, .. parts]);

    static string Built(string path) => System.IO.File.Exists(path) ? path : throw new FileNotFoundException($"not built: {path}", path);

    static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (System.IO.File.Exists(Path.Combine(dir.FullName, "Operator.sln"))) return dir.FullName;
        throw new InvalidOperationException($"Operator.sln not found above {AppContext.BaseDirectory}");
    }
}
