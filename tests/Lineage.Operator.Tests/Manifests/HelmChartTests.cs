using System.Text.Json.Nodes;
using Lineage.Operator.Observability;
using Prometheus;

namespace Lineage.Operator.Tests.Manifests;

public sealed class HelmChartTests
{
    static string Chart(params string[] parts) => RepoRoot.File(["charts", "lineage", .. parts]);

    /// <summary>The template without its Go-template lines, which is plain YAML for the rules.</summary>
    static JsonObject ClusterRole()
    {
        var text = string.Join('\n', File.ReadAllLines(Chart("templates", "clusterrole.yaml")).Where(l => !l.Contains("{{")));
        var folder = Directory.CreateTempSubdirectory("chart");
        File.WriteAllText(Path.Combine(folder.FullName, "role.yaml"), text);
        try { return ManifestFiles.Load(folder.FullName).Single().Document; }
        finally { folder.Delete(recursive: true); }
    }

    static HashSet<string> Verbs(JsonObject role, string group, string resource) =>
        role["rules"]!.AsArray()
            .Where(r => r!["apiGroups"]!.AsArray().Any(g => (string?)g == group) && r["resources"]!.AsArray().Any(x => (string?)x == resource))
            .SelectMany(r => r!["verbs"]!.AsArray().Select(v => (string)v!))
            .ToHashSet();

    [Theory]
    [InlineData("lineage.dev", "generations", "get,list,watch,create,update,patch,delete")]
    [InlineData("lineage.dev", "grporuns/status", "get,update,patch")]
    [InlineData("lineage.dev", "generations/finalizers", "update")]
    [InlineData("batch", "jobs", "get,list,watch,create,update,patch,delete")]
    [InlineData("", "configmaps", "get,list,watch,create,update,patch,delete")]
    [InlineData("", "secrets", "get")]
    [InlineData("", "pods", "get,list")]
    [InlineData("", "events", "get,create,update,patch")]
    [InlineData("coordination.k8s.io", "leases", "get,create,update")]
    public void The_cluster_role_grants_exactly_what_the_operator_uses(string group, string resource, string verbs)
    {
        Assert.Equal(verbs.Split(',').ToHashSet(), Verbs(ClusterRole(), group, resource));
    }

    [Fact]
    public void Secrets_can_be_read_one_by_one_but_never_listed_or_watched()
    {
        var verbs = Verbs(ClusterRole(), "", "secrets");
        Assert.DoesNotContain("list", verbs);
        Assert.DoesNotContain("watch", verbs);
    }

    [Fact]
    public void The_deployment_turns_on_leader_election_and_serves_probes_and_metrics()
    {
        var deployment = File.ReadAllText(Chart("templates", "deployment.yaml"));
        foreach (var expected in new[] { "LINEAGE_LEADER_ELECT", "LINEAGE_LEASE_NAME", "POD_NAME", "LINEAGE_METRICS_ADDRESS", "path: /healthz", "path: /readyz", "runAsNonRoot: true" })
            Assert.Contains(expected, deployment);
    }

    [Fact]
    public void The_dashboard_queries_the_domain_metrics_the_operator_exports()
    {
        var dashboard = JsonNode.Parse(File.ReadAllText(Chart("dashboards", "lineage.json")))!;
        var expressions = dashboard["panels"]!.AsArray().SelectMany(p => p!["targets"]!.AsArray().Select(t => (string)t!["expr"]!)).ToList();

        var registry = Metrics.NewCustomRegistry();
        var metrics = new DomainMetrics(registry);
        var gen = Fixtures.Promoted("gen-1", 0.6, number: 1);
        metrics.ObserveGeneration(new("ml", "gen-1"), gen);
        metrics.ObserveRun("grpo", new("ml", "gen-2"), new() { Step = 3, TotalSteps = 10, Metrics = new() { RewardMean = 0.4, Kl = 0.01 } });
        metrics.ObserveRun("distill", new("ml", "gen-3"), new Lineage.Operator.Api.V1Alpha1.Distillation.DistillationStatus { Step = 3, Internalisation = 0.5 });
        metrics.ObserveLineage(new("ml", "math"), new Lineage.Operator.Api.V1Alpha1.LineageResource
        {
            Status = new() { History = [new() { Name = "math-0", Step = "base", Score = 0.6, Result = "Promoted" }, new() { Name = "math-1", Step = "grpo", Score = 0.5, Result = "Rejected" }] },
        });
        using var stream = new MemoryStream();
        registry.CollectAndExportAsTextAsync(stream).GetAwaiter().GetResult();
        var exported = System.Text.Encoding.UTF8.GetString(stream.ToArray());

        // Every domain metric a panel queries is one the operator exports (the runtime's lineage_operator_* are checked below).
        var queried = expressions.SelectMany(e => System.Text.RegularExpressions.Regex.Matches(e, "lineage_[a-z_]+").Select(m => m.Value))
            .Where(n => !n.StartsWith("lineage_operator_", StringComparison.Ordinal)).ToHashSet();
        Assert.Superset(new HashSet<string> { "lineage_champion_score", "lineage_lineage_generation_score", "lineage_run_internalisation" }, queried);
        foreach (var name in queried) Assert.Contains($"\n{name}{{", "\n" + exported);
        Assert.Contains("lineage_lineage_generation_score{namespace=\"ml\",lineage=\"math\",birth=\"1\",generation=\"math-1\",promoted=\"0\"} 0.5", exported);
        Assert.Contains("lineage_champion_score{namespace=\"ml\",lineage=\"math\"} 0.6", exported);
        Assert.Contains("lineage_generations{namespace=\"ml\",phase=\"Promoted\"} 1", exported);
        Assert.Contains(expressions, e => e.Contains("lineage_operator_reconcile_total"));
        Assert.Contains(expressions, e => e.Contains("lineage_operator_reconcile_errors_total"));
    }
}
