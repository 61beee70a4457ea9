using k8s;
using k8s.Models;
using Lineage.Operator.Api.V1Alpha1;
using Lineage.Operator.Decisions;
using static Lineage.Operator.Tests.Integration.LineageCluster;

namespace Lineage.Operator.Tests.Integration;

/// <summary>The operator's guard rails on what a tenant's spec may run, with the cluster's policy (not local mode's).</summary>
public sealed class TenantPolicyTests
{
    static readonly TrainingSpec Grpo = new() { Grpo = new GrpoTemplate { Steps = 10, CheckpointEvery = 5 } };
    static readonly StorageSpec S3 = new() { Uri = "s3://models/lineages", SecretName = "s3-keys" };

    /// <summary>The store's Secret exists, so the only thing wrong with the specs below is what the policy refuses.</summary>
    static async Task<LineageCluster> StartAsync()
    {
        var cluster = await LineageCluster.StartAsync(policy: new TenantPolicy());
        await cluster.Client.CoreV1.CreateNamespacedSecretAsync(new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = "s3-keys", NamespaceProperty = Ns },
            StringData = new Dictionary<string, string> { [StorageSpec.AccessKeyIdKey] = "k", [StorageSpec.SecretAccessKeyKey] = "s" },
        }, Ns);
        return cluster;
    }

    [Fact]
    public async Task A_generation_naming_an_image_outside_the_allow_list_fails_naming_the_field_and_starts_nothing()
    {
        await using var cluster = await StartAsync();
        await cluster.CreateAsync("gen-0", cluster.Spec(training: Grpo) with { Storage = S3, Resources = new Resources { Image = "docker.io/someone/miner:latest" } });

        var gen = await cluster.PhaseAsync("gen-0", GenerationPhases.Failed);
        var failed = gen.Status!.Conditions.Single(c => c.Type == ConditionTypes.Failed);
        Assert.Equal(Reasons.InvalidSpec, failed.Reason);
        Assert.StartsWith("spec.resources.image: 'docker.io/someone/miner:latest' is not an allowed trainer image", failed.Message);
        await cluster.EventuallyEventAsync("gen-0", e => e.Type == "Warning" && e.Message.Contains("spec.resources.image"), "the warning on gen-0");
        Assert.Null(await cluster.GrpoRuns.GetAsync(new(Ns, "gen-0"), default));
        Assert.Empty(await cluster.Jobs.ListAsync(Ns, null, default));
        Assert.Equal(0, cluster.Server.Requests.Count("create", "jobs"));
    }

    [Fact]
    public async Task A_standalone_run_naming_an_image_outside_the_allow_list_fails_without_a_job()
    {
        await using var cluster = await StartAsync();
        await cluster.GrpoRuns.CreateAsync(new GrpoRun
        {
            Metadata = new V1ObjectMeta { Name = "sweep", NamespaceProperty = Ns },
            Spec = new GrpoRun.GrpoRunSpec(new GrpoTemplate { Steps = 10, CheckpointEvery = 5 })
            {
                Policy = new ModelRef { Uri = "s3://models/base/tiny" }, Output = "s3://models/sweep", Storage = S3,
                Resources = new Resources { Image = "ghcr.io/lineage-dev/lineage-trainer:latest" },
            },
        }, default);

        var run = await EventuallyAsync(() => cluster.GrpoRuns.GetAsync(new(Ns, "sweep"), default), r => r.Status?.Phase == RunPhases.Failed, "the run to fail");
        Assert.Contains("spec.resources.image", run.Status!.Conditions.Single(c => c.Type == ConditionTypes.Failed).Message);
        Assert.Equal(0, cluster.Server.Requests.Count("create", "jobs"));
    }

    [Fact]
    public async Task A_file_store_is_refused_outside_local_mode_and_its_deletion_deletes_nothing()
    {
        await using var cluster = await StartAsync();
        await cluster.Store.WriteAsync("math/gen-0/progress.json", new MemoryStream("{}"u8.ToArray()), default);
        await cluster.CreateAsync("gen-0", cluster.Spec(training: Grpo, retention: Retention.Delete));

        var gen = await cluster.PhaseAsync("gen-0", GenerationPhases.Failed);
        Assert.StartsWith($"spec.storage.uri: '{cluster.StoreUri}' is a file:// store, which only local mode allows",
            gen.Status!.Conditions.Single(c => c.Type == ConditionTypes.Failed).Message);
        Assert.Equal(0, cluster.Server.Requests.Count("create", "jobs"));

        await cluster.Generations.DeleteAsync(new(Ns, "gen-0"), default);
        await EventuallyAsync(async () => (object?)(await cluster.Generations.GetAsync(new(Ns, "gen-0"), default) is null ? "gone" : null), _ => true, "gen-0 deleted");
        Assert.Single(await cluster.Store.ListAsync("math/gen-0/", default));
    }

    [Fact]
    public async Task A_secret_the_operator_may_not_read_is_a_condition_and_a_warning_naming_rbac_secret_names()
    {
        await using var cluster = await StartAsync();
        cluster.Server.FailNext(1000, 403, "/secrets/s3-keys", "GET"); // what a Role with resourceNames answers for another name
        await cluster.CreateAsync("gen-0", cluster.Spec(training: Grpo) with { Storage = S3 });

        var gen = await EventuallyAsync(() => cluster.Generations.GetAsync(new(Ns, "gen-0"), default),
            g => g.Status?.Conditions.Any(c => c.Reason == Reasons.SecretForbidden) == true, "SecretForbidden");
        Assert.Equal(GenerationPhases.Pending, gen.Status!.Phase);
        Assert.Contains("rbac.secretNames", gen.Status.Conditions.Single(c => c.Type == ConditionTypes.StorageReady).Message);
        await cluster.EventuallyEventAsync("gen-0", e => e.Type == "Warning" && e.Reason == Reasons.SecretForbidden, "the warning on gen-0");
        Assert.Null(await cluster.GrpoRuns.GetAsync(new(Ns, "gen-0"), default));
    }

    [Theory]
    [InlineData("ghcr.io/lineage-dev/lineage-trainer:0.1.0", "s3://b/p", null)]
    [InlineData("ghcr.io/lineage-dev/lineage-trainer:0.2.0", "s3://b/p", "spec.resources.image")]
    [InlineData("ghcr.io/lineage-dev/lineage-trainer:0.1.0", "file:///etc", "spec.storage.uri")]
    [InlineData("ghcr.io/lineage-dev/lineage-trainer:0.1.0", "FILE:///etc", "spec.storage.uri")]
    public void The_cluster_policy_allows_its_own_image_on_s3_only(string image, string uri, string? field) =>
        Assert.Equal(field, new TenantPolicy().Problem(new Resources { Image = image }, new StorageSpec { Uri = uri })?.Split(':')[0]);

    [Fact]
    public void Local_mode_keeps_file_stores_and_star_allows_any_image()
    {
        Assert.Null(new TenantPolicy { AllowFileStorage = true }.Problem(new Resources(), new StorageSpec { Uri = "file:///data/store" }));
        Assert.Null(new TenantPolicy { AllowedImages = [TenantPolicy.AnyImage] }.Problem(new Resources { Image = "my/trainer:dev" }, new StorageSpec { Uri = "s3://b/p" }));
    }
}
