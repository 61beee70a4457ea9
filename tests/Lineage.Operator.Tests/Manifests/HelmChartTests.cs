using System.Text.Json.Nodes;
using Lineage.Operator.Observability;
using Prometheus;

namespace Lineage.Operator.Tests.Manifests;

public sealed class HelmChartTests
{
    static string Chart(params string[] parts) => RenderedChart.Folder(parts);

    static IEnumerable<(string Name, string? Value)> Env(RenderedChart chart) =>
        chart.Single("Deployment")["spec"]!["template"]!["spec"]!["containers"]![0]!["env"]!.AsArray()
            .Select(e => ((string)e!["name"]!, (string?)e["value"]));

    // What the chart grants is checked against what the operator asks for in RbacEvidenceTests, not pinned here.

    [Fact]
    public void The_deployment_turns_on_leader_election_and_serves_probes_and_metrics()
    {
        var chart = RenderedChart.Render();
        var env = Env(chart).ToDictionary(e => e.Name, e => e.Value);
        Assert.Equal("true", env["LINEAGE_LEADER_ELECT"]);
        Assert.Equal("lineage-operator", env["LINEAGE_LEASE_NAME"]);
        Assert.Equal("http://0.0.0.0:8080", env["LINEAGE_METRICS_ADDRESS"]);
        Assert.Contains("POD_NAME", env.Keys);
        var container = chart.Single("Deployment")["spec"]!["template"]!["spec"]!["containers"]![0]!;
        Assert.Equal(("/healthz", "/readyz"), ((string)container["livenessProbe"]!["httpGet"]!["path"]!, (string)container["readinessProbe"]!["httpGet"]!["path"]!));
    }

    [Fact]
    public void The_chart_runs_the_operator_with_its_own_default_workers_unless_told_otherwise()
    {
        Assert.Equal(Lineage.Operator.Hosting.OperatorOptions.DefaultWorkers.ToString(), Env(RenderedChart.Render()).Single(e => e.Name == "LINEAGE_WORKERS").Value);
        Assert.Equal("3", Env(RenderedChart.Render(set: ("workers", 3))).Single(e => e.Name == "LINEAGE_WORKERS").Value);
    }

    [Fact]
    public void The_default_trainer_image_is_the_only_allowed_one_and_reaches_the_operator()
    {
        var chart = RenderedChart.Render();
        Assert.Equal([Lineage.Operator.Api.V1Alpha1.Resources.DefaultImage], (List<object?>)((Dictionary<string, object?>)chart.Values["trainer"]!)["allowedImages"]!);
        Assert.Equal(Lineage.Operator.Api.V1Alpha1.Resources.DefaultImage, Env(chart).Single(e => e.Name == "LINEAGE_ALLOWED_IMAGES").Value);
        var two = RenderedChart.Render(set: ("trainer.allowedImages", new List<object?> { "a/trainer:1", "b/trainer:2" }));
        Assert.Equal("a/trainer:1,b/trainer:2", Env(two).Single(e => e.Name == "LINEAGE_ALLOWED_IMAGES").Value);
    }

    [Fact]
    public void The_service_monitor_keeps_the_metrics_own_namespace_label()
    {
        var monitor = RenderedChart.Render(set: ("metrics.serviceMonitor.enabled", true)).Single("ServiceMonitor");
        Assert.True((bool)monitor["spec"]!["endpoints"]![0]!["honorLabels"]!);
    }

    [Fact]
    public void The_network_policy_lets_in_only_metrics_and_out_only_dns_the_api_server_and_the_store()
    {
        var policy = RenderedChart.Render().Single("NetworkPolicy")["spec"]!;
        Assert.Equal(["Ingress", "Egress"], policy["policyTypes"]!.AsArray().Select(t => (string)t!));
        Assert.Equal([8080], policy["ingress"]!.AsArray().SelectMany(r => r!["ports"]!.AsArray()).Select(p => (int)p!["port"]!));
        var egress = policy["egress"]!.AsArray().SelectMany(r => r!["ports"]!.AsArray()).Select(p => ((int)p!["port"]!, (string)p["protocol"]!)).ToList();
        Assert.Equal([(53, "UDP"), (53, "TCP"), (443, "TCP"), (6443, "TCP"), (443, "TCP")], egress);
        Assert.All(policy["egress"]!.AsArray(), r => Assert.Null(r!["to"])); // ports only: the API server's and store's addresses are the cluster's
        Assert.Empty(RenderedChart.Render(set: ("networkPolicy.enabled", false)).OfKind("NetworkPolicy"));
    }

    [Fact]
    public async Task The_dashboard_queries_the_domain_metrics_the_operator_exports()
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
            Status = new() { History = [new() { Name = "math-0", Step = "base", Score = 0.6, Result = "Promoted" }, new() { Name = "math-1", Step = "grpo", Score = 0.5, Result = "Rejected",
                JudgePickAccuracy = 0.7, RandomPickAccuracy = 0.6, JudgePickAccuracyBeforeTraining = 0.55, JudgeUsed = true }] },
        });
        using var stream = new MemoryStream();
        await registry.CollectAndExportAsTextAsync(stream);
        var exported = System.Text.Encoding.UTF8.GetString(stream.ToArray());

        // Every domain metric a panel queries is one the operator exports (the runtime's lineage_operator_* are checked below).
        var queried = expressions.SelectMany(e => System.Text.RegularExpressions.Regex.Matches(e, "lineage_[a-z_]+").Select(m => m.Value))
            .Where(n => !n.StartsWith("lineage_operator_", StringComparison.Ordinal)).ToHashSet();
        Assert.Superset(new HashSet<string> { "lineage_champion_score", "lineage_lineage_generation_score", "lineage_run_internalisation", "lineage_lineage_judge_pick_accuracy" }, queried);
        // Each picker a panel asks for is one the operator exports.
        var pickers = expressions.SelectMany(e => System.Text.RegularExpressions.Regex.Matches(e, "picker=\"([a-z_]+)\"").Select(m => m.Groups[1].Value)).ToHashSet();
        Assert.Equal(["judge", "random", "judge_before_training"], pickers);
        foreach (var picker in pickers) Assert.Contains($"picker=\"{picker}\"", exported);
        foreach (var name in queried) Assert.Contains($"\n{name}{{", "\n" + exported);
        Assert.Contains("lineage_lineage_generation_score{namespace=\"ml\",lineage=\"math\",birth=\"1\",generation=\"math-1\",promoted=\"0\"} 0.5", exported);
        Assert.Contains("lineage_champion_score{namespace=\"ml\",lineage=\"math\"} 0.6", exported);
        Assert.Contains("lineage_generations{namespace=\"ml\",phase=\"Promoted\"} 1", exported);
        Assert.Contains(expressions, e => e.Contains("lineage_operator_reconcile_total"));
        Assert.Contains(expressions, e => e.Contains("lineage_operator_reconcile_errors_total"));
    }
}
