using Lineage.EmbeddedApiServer.Tests.Kubectl;
using Lineage.Local.Tests.Support;

namespace Lineage.Local.Tests;

/// <summary>Local mode driven only with kubectl, as a user drives a cluster: apply, watch, read logs, delete.</summary>
public sealed class LocalKubectlTests : IDisposable
{
    readonly string data = Directory.CreateTempSubdirectory("lineage-kubectl").FullName;
    string Cluster => Path.Combine(data, "cluster");

    [KubectlFact]
    public async Task A_lineage_applied_with_kubectl_grows_shows_its_columns_logs_and_events_and_deleting_it_removes_what_it_made()
    {
        var manifest = TinyLineage.Write(data);
        await using var run = LocalRun.Start(Cluster);
        using var client = await LocalRun.ClientAsync(Cluster, TimeSpan.FromMinutes(2));
        var kubectl = new Kubectl(Path.Combine(Cluster, "kubeconfig"), Path.Combine(data, "kubectl-cache"));
        var ns = TinyLineage.Namespace;

        (await kubectl.RunAsync("apply", "-f", manifest)).Succeeded();
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(8);
        while ((await kubectl.RunAsync("get", "lin", TinyLineage.Name, "-n", ns, "-o", "jsonpath={.status.phase}")).Stdout != "Complete")
        {
            Assert.True(DateTime.UtcNow < deadline, $"the lineage did not complete; local said:\n{run.Output}");
            await Task.Delay(500);
        }

        var lineages = (await kubectl.RunAsync("get", "lin", "-n", ns)).Succeeded().Stdout.Split('\n');
        Assert.Matches(@"^NAME\s+CHAMPION\s+GENERATIONS\s+BEST SCORE\s+PHASE\s+AGE", lineages[0]);
        Assert.Matches(@"^math\s+math-2\s+3\s+\S+\s+Complete\s", lineages[1]);
        var generations = (await kubectl.RunAsync("get", "gen", "-n", ns, "--no-headers")).Succeeded().Stdout.Trim().Split('\n');
        Assert.Equal(3, generations.Length);
        Assert.All(generations, row => Assert.Contains(" Promoted ", row));

        var logs = (await kubectl.RunAsync("logs", "job/math-1-train", "-n", ns)).Succeeded().Stdout;
        Assert.Contains("\"kind\":\"train\"", logs);
        var describe = (await kubectl.RunAsync("describe", "lin", TinyLineage.Name, "-n", ns)).Succeeded().Stdout;
        Assert.Contains("Born", describe);
        Assert.Contains("math-1 (grpo) Promoted: score", describe); // told by math-2's Born Event
        Assert.Contains("MaxGenerationsReached", describe);

        // Bad changes are refused at admission by the real CRDs' schema and CEL rules, the field named, nothing changed.
        var bad = new (string Manifest, string Field, string Why)[]
        {
            (TinyLineage.Manifest().Replace("maxGenerations: 3", "maxGenerations: 500"), "spec.maxGenerations", "less than or equal to 200"),
            (TinyLineage.Manifest().Replace("maxGenerations: 3", "maxGenerations: three"), "maxGenerations", "integer"),
            (TinyLineage.Manifest().Replace("  maxGenerations: 3", "  maxGenerations: 3\n  approval: sometimes"), "spec.approval", "Unsupported value"),
            (TinyLineage.Manifest(grpoSteps: 3, checkpointEvery: 10), "spec.plan[0].grpo", "checkpointEvery must not exceed steps"),
            (TinyLineage.Manifest().Replace("strategy: selfConsistency", "strategy: bestOfN"), "spec.plan[1].distillation", "ranker is required for strategy bestOfN"),
        };
        foreach (var (yaml, field, why) in bad)
        {
            var path = Path.Combine(data, "bad.yaml");
            File.WriteAllText(path, yaml);
            var refused = await kubectl.RunAsync("apply", "--dry-run=server", "-f", path);
            Assert.True(refused.ExitCode != 0, $"accepted: {field} ({why})\n{refused.Output}");
            Assert.Contains(field, refused.Output);
            Assert.Contains(why, refused.Output);
        }
        Assert.Contains("maxGenerations: 3", (await kubectl.RunAsync("get", "lin", TinyLineage.Name, "-n", ns, "-o", "yaml")).Succeeded().Stdout);

        (await kubectl.RunAsync("delete", "lin", TinyLineage.Name, "-n", ns)).Succeeded();
        deadline = DateTime.UtcNow + TimeSpan.FromMinutes(1);
        while (!((await kubectl.RunAsync("get", "gen,jobs", "-n", ns, "--no-headers")).Output.Contains("No resources found")))
        {
            Assert.True(DateTime.UtcNow < deadline, "deleting the lineage left its generations or jobs behind");
            await Task.Delay(500);
        }
    }

    public void Dispose()
    {
        try { Directory.Delete(data, recursive: true); } catch (IOException) { }
    }
}
