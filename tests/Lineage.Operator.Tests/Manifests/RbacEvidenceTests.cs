using System.Text;
using k8s;
using k8s.Models;
using Lineage.Contracts.Config;
using Lineage.EmbeddedApiServer;
using Lineage.Operator.Api.V1Alpha1;
using Lineage.Operator.Hosting;
using Lineage.Operator.Runtime;
using Lineage.Operator.Tests.Integration;
using Prometheus;
using static Lineage.Operator.Tests.Integration.LineageCluster;

namespace Lineage.Operator.Tests.Manifests;

/// <summary>
/// Least privilege from evidence: the real operator (its own registration, client, leader election and flags) runs a
/// whole lifecycle against the API server, whose request log says what it asked for; the chart must grant exactly
/// that, in the scope it was asked in, for both <c>rbac.scope</c> values.
/// </summary>
public sealed class RbacEvidenceTests
{
    const string Release = "lineage-system";
    const string ServiceAccount = "lineage";

    [Theory]
    [InlineData("cluster")]
    [InlineData("namespace")]
    public async Task The_chart_grants_exactly_what_the_operator_asked_for(string scope)
    {
        var watched = scope == "namespace" ? Ns : null;
        var evidence = await EvidenceAsync(watched);
        var chart = RenderedChart.Render(Release, ("rbac.scope", scope), ("watchNamespace", watched ?? ""));
        var granted = RbacGrant.Of(chart, ServiceAccount).Select(g => g with { Names = "" }).ToHashSet();

        var missing = evidence.Except(granted).Select(g => g.ToString()).Order().ToList();
        var unused = granted.Except(evidence).Select(g => g.ToString()).Order().ToList();
        Assert.True(missing.Count == 0 && unused.Count == 0,
            $"rbac.scope={scope}\nasked for but not granted:\n  {string.Join("\n  ", missing)}\ngranted but never asked for:\n  {string.Join("\n  ", unused)}");
    }

    [Fact]
    public void The_namespaced_chart_renders_no_cluster_role_and_binds_roles_in_the_watched_and_the_release_namespace()
    {
        var chart = RenderedChart.Render(Release, ("rbac.scope", "namespace"), ("watchNamespace", Ns));
        Assert.Empty(chart.OfKind("ClusterRole"));
        Assert.Empty(chart.OfKind("ClusterRoleBinding"));
        Assert.Equal([Release, Ns], chart.OfKind("RoleBinding").Select(b => (string)b["metadata"]!["namespace"]!).Order(StringComparer.Ordinal));
        Assert.Equal(Ns, chart.Single("Deployment")["spec"]!["template"]!["spec"]!["containers"]![0]!["env"]!.AsArray()
            .Single(e => (string?)e!["name"] == "LINEAGE_NAMESPACE")!["value"]!.GetValue<string>());
    }

    [Fact]
    public void The_scope_follows_the_watched_namespace_unless_set()
    {
        Assert.Single(RenderedChart.Render(Release).OfKind("ClusterRole"));
        Assert.Empty(RenderedChart.Render(Release, ("watchNamespace", Ns)).OfKind("ClusterRole"));
        Assert.Single(RenderedChart.Render(Release, ("watchNamespace", Ns), ("rbac.scope", "cluster")).OfKind("ClusterRole"));
        Assert.Contains("rbac.scope must be cluster or namespace", Assert.Throws<FormatException>(() => RenderedChart.Render(Release, ("rbac.scope", "tenant"))).Message);
    }

    [Fact]
    public void A_namespaced_scope_without_a_watched_namespace_is_refused_at_render()
    {
        var error = Assert.Throws<FormatException>(() => RenderedChart.Render(Release, ("rbac.scope", "namespace"), ("watchNamespace", "")));
        Assert.Contains("watchNamespace", error.Message);
    }

    [Fact]
    public void Secret_reads_can_be_narrowed_to_named_secrets()
    {
        var chart = RenderedChart.Render(Release, ("rbac.secretNames", new List<object?> { "store-keys", "s3-credentials" }));
        var secrets = RbacGrant.Of(chart, ServiceAccount).Where(g => g.Resource == "secrets").ToList();
        Assert.Equal([new RbacGrant("", "secrets", "get", RbacGrant.Cluster, "s3-credentials,store-keys")], secrets);
    }

    /// <summary>
    /// Runs the lifecycle with the operator watching <paramref name="watched"/> (null: all namespaces) and returns what
    /// it asked for. A request in a tenant namespace is evidence for every namespace when the operator watches them all
    /// (tenants' namespaces are not known at install); in the operator's own namespace, or the one it watches, for that one.
    /// </summary>
    static async Task<HashSet<RbacGrant>> EvidenceAsync(string? watched)
    {
        await using var cluster = await LineageCluster.StartAsync(withOperator: false,
            new EmbeddedApiServerOptions { ImplicitNamespaces = false, InitialNamespaces = ["default", "kube-system", Release, Ns] });
        var client = cluster.Client;
        await client.CoreV1.CreateNamespacedSecretAsync(new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = "store-keys", NamespaceProperty = Ns },
            Data = new Dictionary<string, byte[]>
            {
                [StorageSpec.AccessKeyIdKey] = Encoding.UTF8.GetBytes("tenant"), [StorageSpec.SecretAccessKeyKey] = Encoding.UTF8.GetBytes("tenant-secret"),
            },
        }, Ns);

        // The test's store is a folder it shares with the operator; every other setting is the chart's Deployment's.
        var options = OperatorOptions.Parse(["--lease-namespace", Release, "--identity", "lineage-0", "--metrics-address", "http://127.0.0.1:0", "--workers", "2",
            "--allow-file-storage", "true", .. watched is null ? Array.Empty<string>() : ["--namespace", watched]], _ => null);
        using var operatorClient = OperatorClient.Create(cluster.Server.ClientConfiguration());
        using var stop = new CancellationTokenSource();
        await using (var host = await OperatorHost.StartAsync(options, operatorClient, Metrics.NewCustomRegistry(), stop.Token))
        {
            var run = host.Controllers.RunAsync(stop.Token);
            var owners = await LifecycleAsync(cluster, Scope(Ns, watched));
            stop.Cancel();
            await run.WaitAsync(TimeSpan.FromSeconds(30));
            return Evidence(cluster.Server.Requests.All, watched).Concat(owners).ToHashSet();
        }
    }

    static IEnumerable<RbacGrant> Evidence(IEnumerable<RequestRecord> requests, string? watched)
    {
        foreach (var r in requests.Where(r => r.Client == OperatorOptions.FieldManager))
        {
            Assert.True(r.Resource.Length > 0, $"the operator asked for a non-resource URL: {r.Method} {r.Path}");
            yield return new RbacGrant(r.Group, r.Subresource is null ? r.Resource : $"{r.Resource}/{r.Subresource}", r.Verb, Scope(r.Namespace, watched));
        }
    }

    static string Scope(string? ns, string? watched) => ns is null || (watched is null && ns != Release) ? RbacGrant.Cluster : ns;

    /// <summary>
    /// Creating a child whose owner reference blocks the owner's deletion needs update on the owner's finalizers
    /// subresource (kube-apiserver's OwnerReferencesPermissionEnforcement): evidence read off the children the operator created.
    /// </summary>
    static async Task<IEnumerable<RbacGrant>> OwnerFinalizerNeedsAsync(LineageCluster cluster, string scope)
    {
        var children = new List<V1ObjectMeta>();
        children.AddRange((await cluster.Generations.ListAsync(Ns, null, default)).Select(o => o.Metadata));
        children.AddRange((await cluster.GrpoRuns.ListAsync(Ns, null, default)).Select(o => o.Metadata));
        children.AddRange((await cluster.Distillations.ListAsync(Ns, null, default)).Select(o => o.Metadata));
        children.AddRange((await cluster.Jobs.ListAsync(Ns, null, default)).Select(o => o.Metadata));
        children.AddRange((await cluster.ConfigMaps.ListAsync(Ns, null, default)).Select(o => o.Metadata));
        var plurals = new Dictionary<string, string>
        {
            [LineageResource.KindName] = "lineages", [Generation.KindName] = "generations", [GrpoRun.KindName] = GrpoRun.Plural, [Distillation.KindName] = "distillations",
        };
        return children
            .Where(m => m.ManagedFields?.Any(f => f.Manager == OperatorOptions.FieldManager && f.Operation == "Update" && f.Subresource is null or "") == true)
            .SelectMany(m => m.OwnerReferences ?? [])
            .Where(o => o.BlockOwnerDeletion == true)
            .Select(o => new RbacGrant(Group.Name, plurals[o.Kind] + "/finalizers", "update", scope))
            .Distinct()
            .ToList();
    }

    /// <summary>
    /// Everything the operator does in its life: a Lineage bred through promotion, rejection and distillation to
    /// completion; a standalone run suspended, edited and resumed; failed training and evaluation Jobs (termination
    /// messages); leader election; Events new and repeated; Secret reads; finalizers on deletion; the namespace deleted.
    /// </summary>
    static async Task<IEnumerable<RbacGrant>> LifecycleAsync(LineageCluster cluster, string scope)
    {
        var storage = new StorageSpec { Uri = cluster.StoreUri, SecretName = "store-keys", Retention = Retention.Delete };
        var lineages = new ResourceClient<LineageResource>(cluster.Client);
        await lineages.CreateAsync(new LineageResource
        {
            Metadata = new V1ObjectMeta { Name = "math", NamespaceProperty = Ns },
            Spec = new LineageResource.LineageSpec
            {
                Base = new LineageBase { Uri = "s3://models/base/tiny" },
                Template = new GenerationTemplate
                {
                    Evaluation = new EvaluationSpec { Dataset = new DataConfig { Task = "addition" }, Problems = 50 },
                    Promotion = new PromotionSpec { MinScore = 0.2, MinImprovementOverParent = 0.05 },
                    Storage = storage,
                },
                Plan =
                [
                    new PlanStep { Name = "grpo", Grpo = new GrpoTemplate { Steps = 20, CheckpointEvery = 10 } },
                    new PlanStep { Name = "distill", Distillation = new DistillationTemplate { Strategy = "selfConsistency", Samples = 4, Filter = "consistency" } },
                ],
                MaxGenerations = 3,
                Stop = new StopRule { Patience = 0 },
            },
        }, default);
        await cluster.EvaluateAsync("math-0", 0.50);
        await TrainAsync(cluster, "math-1");
        Assert.Equal(GenerationPhases.Rejected, (await cluster.EvaluateAsync("math-1", 0.52)).Status!.Phase);
        await TrainAsync(cluster, "math-2");
        Assert.Equal(GenerationPhases.Promoted, (await cluster.EvaluateAsync("math-2", 0.61)).Status!.Phase);
        await EventuallyAsync(() => lineages.GetAsync(new(Ns, "math"), default), l => l.Status?.Phase == LineagePhases.Complete, "the lineage to complete");

        // A standalone GrpoRun: suspended and edited (its Job, which carries the old config, replaced), resumed and suspended
        // again (a repeated Event).
        var runs = cluster.GrpoRuns;
        await runs.CreateAsync(new GrpoRun
        {
            Metadata = new V1ObjectMeta { Name = "sweep", NamespaceProperty = Ns },
            Spec = new GrpoRun.GrpoRunSpec(new GrpoTemplate { Steps = 10, CheckpointEvery = 5 })
            {
                Policy = new ModelRef { Generation = "math-2" }, Output = $"{cluster.StoreUri}/sweep/model", Storage = storage,
            },
        }, default);
        await cluster.JobAsync("sweep-train");
        await cluster.StartJobAsync("sweep-train");
        foreach (var (suspend, steps) in new[] { (true, 12), (false, 12), (true, 12) })
        {
            await EventuallyAsync(async () =>
            {
                var run = (await runs.GetAsync(new(Ns, "sweep"), default))!;
                run.Spec = run.Spec with { Steps = steps, Suspend = suspend };
                try { return await runs.ReplaceAsync(run, default); }
                catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.Conflict) { return null; }
            }, _ => true, "the run edited");
            await EventuallyAsync(() => cluster.Jobs.GetAsync(new(Ns, "sweep-train"), default), j => j.Spec.Suspend == suspend, $"the Job suspended={suspend}");
            await EventuallyAsync(() => runs.GetAsync(new(Ns, "sweep"), default), r => r.Status?.ObservedGeneration == r.Metadata.Generation, "the run observed");
        }

        // Failed training and evaluation Jobs: the operator lists their pods for the trainer's termination message.
        await cluster.CreateAsync("solo", cluster.Spec(parent: "math-2", training: new TrainingSpec { Grpo = new GrpoTemplate { Steps = 10, CheckpointEvery = 5 } }) with { Storage = storage });
        await cluster.JobAsync("solo-train");
        await cluster.FailJobAsync("solo-train", "torch.OutOfMemoryError");
        await cluster.PhaseAsync("solo", GenerationPhases.Failed);
        await cluster.CreateAsync("probe", cluster.Spec(parent: "math-2") with { Storage = storage });
        await cluster.JobAsync("probe-eval");
        await cluster.FailJobAsync("probe-eval", "eval crashed");
        await cluster.PhaseAsync("probe", GenerationPhases.Failed);

        var owners = await OwnerFinalizerNeedsAsync(cluster, scope);
        // Every pod the operator asked for in this life passes Pod Security "restricted" (PodSecurityTests breaks each rule).
        foreach (var job in await cluster.Jobs.ListAsync(Ns, null, default))
            Assert.Empty(PodSecurityRestricted.Violations(System.Text.Json.Nodes.JsonNode.Parse(KubernetesJson.Serialize(job.Spec.Template.Spec))!));

        // Deletion: the Lineage's Generations go through their finalizers (retention delete), then the namespace goes
        // with a Generation in training in it.
        await cluster.CreateAsync("late", cluster.Spec(parent: "math-2", training: new TrainingSpec { Grpo = new GrpoTemplate { Steps = 10, CheckpointEvery = 5 } }) with { Storage = storage });
        await cluster.StartJobAsync("late-train");
        await lineages.DeleteAsync(new(Ns, "math"), default);
        await EventuallyAsync(async () => (object?)(await cluster.Generations.ListAsync(Ns, null, default)).Count(g => g.Metadata.Name.StartsWith("math-", StringComparison.Ordinal)),
            n => (int)n == 0, "math's generations to go");
        await cluster.Client.CoreV1.DeleteNamespaceAsync(Ns);
        await EventuallyAsync(async () => (object?)((await cluster.Client.CoreV1.ListNamespaceAsync()).Items.Any(n => n.Metadata.Name == Ns) ? null : "gone"), _ => true, "the namespace to go");
        return owners;
    }

    static async Task TrainAsync(LineageCluster cluster, string generation)
    {
        await cluster.JobAsync($"{generation}-train");
        await cluster.WriteModelAsync(generation);
        await cluster.CompleteJobAsync($"{generation}-train");
    }
}
