using Lineage.Operator.Crds;

namespace Lineage.Operator.Tests.Crds;

public sealed class CrdDriftTests
{
    const string Regenerate = "run: dotnet run --project operator/Lineage.Operator -- crds --output crds";

    [Fact]
    public void Committed_crds_match_what_the_types_generate()
    {
        var generated = CrdGenerator.Generate();
        Assert.Equal(CrdGenerator.Kinds.Length, generated.Count);
        foreach (var (fileName, yaml) in generated)
        {
            var path = RepoRoot.File("crds", fileName);
            Assert.True(File.Exists(path), $"crds/{fileName} is missing; {Regenerate}");
            Assert.True(File.ReadAllText(path) == yaml, $"crds/{fileName} differs from the C# types; {Regenerate}");
        }
        var committed = Directory.GetFiles(RepoRoot.File("crds"), "*.yaml").Select(Path.GetFileName).Order();
        Assert.Equal(generated.Select(g => g.FileName).Order(), committed);
    }

    [Fact]
    public void Helm_chart_ships_the_same_crds()
    {
        foreach (var path in Directory.GetFiles(RepoRoot.File("crds"), "*.yaml"))
        {
            var copy = RepoRoot.File("charts", "lineage", "crds", Path.GetFileName(path));
            Assert.True(File.Exists(copy), $"charts/lineage/crds/{Path.GetFileName(path)} is missing; copy crds/ into the chart");
            Assert.True(File.ReadAllText(path) == File.ReadAllText(copy), $"charts/lineage/crds/{Path.GetFileName(path)} differs from crds/; copy crds/ into the chart");
        }
    }

    [Fact]
    public void Generation_is_deterministic()
    {
        Assert.Equal(CrdGenerator.Generate(), CrdGenerator.Generate());
    }
}
