namespace Lineage.Store.Bench;

static class Repository
{
    public static string Root()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Operator.sln"))) return dir.FullName;
        throw new InvalidOperationException($"no Operator.sln above {AppContext.BaseDirectory}");
    }
}
