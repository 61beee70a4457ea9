using Lineage.Contracts.Config;
using Lineage.Operator.Api.V1Alpha1;
using Lineage.Operator.Rendering;
using Lineage.Operator.Runtime;
using static Lineage.Operator.Tests.Integration.LineageCluster;

namespace Lineage.Operator.Tests.Integration;

/// <summary>Whole Generation lifecycles against the test API server, with the test playing Jobs and trainer.</summary>
public sealed class LifecycleTests
{
    static readonly TrainingSpec Grpo = new() { Grpo = new GrpoTemplate { Steps = 10, CheckpointEvery = 5 } };

    [Fact]
    public async Task A_base_then_a_grpo_generation_are_both_promoted()
    {
        await using var cluster = await LineageCluster.StartAsync();
        await cluster.CreateAsync("gen-0", cluster.Spec());
        await cluster.CreateAsync("gen-1", cluster.Spec(parent: "gen-0", training: Grpo));

        // gen-1 waits for its parent; gen-0 is evaluated on the base model as is.
        await EventuallyAsync(() => cluster.Generations.GetAsync(new(Ns, "gen-1"), default),
            g => g.Status?.Conditions.Any(c => c is { Type: ConditionTypes.ParentReady, Status: "False", Reason: Reasons.ParentNotPromoted }) == true, "gen-1 to wait");
        var evalJob = await cluster.JobAsync("gen-0-eval");
        Assert.Equal("s3://models/base/tiny", ConfigLoader.Parse<EvalConfig>(evalJob.Spec.Template.Metadata.Annotations[TrainerConfigFile.Annotation], "eval").Model);
        Assert.Equal(0, cluster.Server.Requests.Count("create", "configmaps")); // the config travels in the Job
        var gen0 = await cluster.EvaluateAsync("gen-0", 0.40);
        Assert.Equal(GenerationPhases.Promoted, gen0.Status!.Phase);
        Assert.Equal(0, gen0.Status.GenerationNumber);

        // gen-1: the GrpoRun starts from gen-0's checkpoint; its Job runs; progress is mirrored.
        var run = await EventuallyAsync(() => cluster.GrpoRuns.GetAsync(new(Ns, "gen-1"), default), _ => true, "GrpoRun gen-1");
        Assert.Equal("s3://models/base/tiny", run.Spec.Policy.Uri);
        var job = await cluster.JobAsync("gen-1-train");
        Assert.Equal(["grpo", "--config", "/etc/lineage/config.yaml"], job.Spec.Template.Spec.Containers[0].Args);
        Assert.Equal("gen-1", job.Metadata.OwnerReferences.Single().Name);
        await cluster.WriteProgressAsync("gen-1", 5, 10, 0.31);
        await cluster.StartJobAsync("gen-1-train");
        run = await EventuallyAsync(() => cluster.GrpoRuns.GetAsync(new(Ns, "gen-1"), default), r => r.Status is { Step: 5, Phase: RunPhases.Running }, "step 5 mirrored while running");
        Assert.Equal((RunPhases.Running, 10L, 0.31), (run.Status!.Phase, run.Status.TotalSteps ?? 0, run.Status.Metrics?.RewardMean ?? 0));
        Assert.Equal(GenerationPhases.Training, (await cluster.GenerationAsync("gen-1")).Status?.Phase);

        var sha = await cluster.WriteModelAsync("gen-1");
        await cluster.WriteProgressAsync("gen-1", 10, 10, 0.52);
        await cluster.CompleteJobAsync("gen-1-train");
        var gen1 = await cluster.EvaluateAsync("gen-1", 0.47);

        Assert.Equal(GenerationPhases.Promoted, gen1.Status!.Phase);
        Assert.Equal((1, 0.40, 0.47), (gen1.Status.GenerationNumber ?? -1, gen1.Status.ParentScore ?? 0, gen1.Status.Score ?? 0));
        Assert.Equal(new CheckpointRef { Uri = $"{cluster.StoreUri}/math/gen-1/model", Sha256 = sha }, gen1.Status.Checkpoint);
        Assert.NotNull(gen1.Status.PromotedAt);
        Assert.Contains("score 0.47 ≥ minScore 0.2 and ≥ parent score 0.4 + minImprovementOverParent 0.05 = 0.45",
            gen1.Status.Conditions.Single(c => c.Type == ConditionTypes.Promoted).Message);
        await cluster.EventuallyEventAsync("gen-1", e => e.Reason == GenerationPhases.Promoted && e.Type == "Normal", "event on gen-1");

        // The champions are found by the field selector on status.phase (the CRD's selectable field); a rejected child is not one.
        await cluster.CreateAsync("gen-2", cluster.Spec(parent: "gen-1"));
        Assert.Equal(GenerationPhases.Rejected, (await cluster.EvaluateAsync("gen-2", 0.10)).Status!.Phase);
        Assert.Equal(["gen-0", "gen-1"], await cluster.ChampionsAsync("math"));
        Assert.Empty(await cluster.ChampionsAsync("other"));
        // Promotion wrote no metadata: each Generation's only update is the first one (finalizer and lineage label). An
        // update answered 409 wrote nothing (a reconcile woken before its own write reached the cache, on a loaded machine).
        var metadataWrites = cluster.Server.Requests.All.Where(r => r is { Verb: "update", Resource: "generations" } && string.IsNullOrEmpty(r.Subresource)).ToList();
        Assert.True(metadataWrites.All(r => r.Succeeded || r.StatusCode == 409), string.Join(", ", metadataWrites.Select(r => $"{r.Name} {r.StatusCode}")));
        Assert.Equal(["gen-0", "gen-1", "gen-2"], metadataWrites.Where(r => r.Succeeded).Select(r => r.Name).Order());
    }

    [Fact]
    public async Task A_finished_runs_last_status_write_is_not_held_once_the_cache_has_it()
    {
        await using var cluster = await LineageCluster.StartAsync();
        await cluster.CreateAsync("gen-0", cluster.Spec());
        await cluster.EvaluateAsync("gen-0", 0.40);
        await cluster.CreateAsync("gen-1", cluster.Spec(parent: "gen-0", training: Grpo));
        await cluster.JobAsync("gen-1-train");
        await cluster.WriteModelAsync("gen-1");
        await cluster.WriteProgressAsync("gen-1", 10, 10, 0.52);
        await cluster.CompleteJobAsync("gen-1-train");
        await EventuallyAsync(() => cluster.GrpoRuns.GetAsync(new(Ns, "gen-1"), default), r => r.Status?.Phase == RunPhases.Succeeded, "run gen-1 Succeeded");

        // The controller ignores the echo of its own status writes, so no reconcile comes to drop the remembered copy:
        // the run informer does, when it receives the written version (else every finished run stayed in memory twice).
        var runs = cluster.Controllers!.GrpoRuns;
        await EventuallyAsync(() => Task.FromResult(runs.PendingOwnWrites), n => n == 0, "no own write held", seconds: 20);
        Assert.Equal(GenerationPhases.Promoted, (await cluster.EvaluateAsync("gen-1", 0.47)).Status!.Phase);
    }

    [Fact]
    public async Task A_generation_that_does_not_beat_its_parent_by_the_margin_is_rejected()
    {
        await using var cluster = await LineageCluster.StartAsync();
        await cluster.CreateAsync("gen-0", cluster.Spec());
        await cluster.EvaluateAsync("gen-0", 0.40);
        await cluster.CreateAsync("gen-1", cluster.Spec(parent: "gen-0"));
        var gen1 = await cluster.EvaluateAsync("gen-1", 0.43);

        Assert.Equal(GenerationPhases.Rejected, gen1.Status!.Phase);
        var promoted = gen1.Status.Conditions.Single(c => c.Type == ConditionTypes.Promoted);
        Assert.Equal(("False", Reasons.NoImprovementOverParent), (promoted.Status, promoted.Reason));
        Assert.Equal("score 0.43 is below parent score 0.4 + minImprovementOverParent 0.05 = 0.45", promoted.Message);
        Assert.Equal(["gen-0"], await cluster.ChampionsAsync("math"));
        await cluster.EventuallyEventAsync("gen-1", e => e.Reason == GenerationPhases.Rejected, "event on gen-1");
    }

    [Fact]
    public async Task A_failed_training_job_fails_run_and_generation_with_the_trainers_message()
    {
        await using var cluster = await LineageCluster.StartAsync();
        await cluster.CreateAsync("gen-0", cluster.Spec(training: Grpo));
        await cluster.StartJobAsync("gen-0-train");
        await cluster.FailJobAsync("gen-0-train", "torch.OutOfMemoryError: CUDA out of memory");

        var run = await EventuallyAsync(() => cluster.GrpoRuns.GetAsync(new(Ns, "gen-0"), default), r => r.Status?.Phase == RunPhases.Failed, "run failed");
        var failed = run.Status!.Conditions.Single(c => c.Type == ConditionTypes.Failed);
        Assert.Equal(Reasons.BackoffLimitExceeded, failed.Reason);
        Assert.Contains("trainer said: torch.OutOfMemoryError: CUDA out of memory", failed.Message);
        Assert.Equal(3, run.Status.Restarts);

        var gen = await cluster.PhaseAsync("gen-0", GenerationPhases.Failed);
        Assert.Contains("CUDA out of memory", gen.Status!.Conditions.Single(c => c.Type == ConditionTypes.Failed).Message);
        await cluster.EventuallyEventAsync("gen-0", e => e.Type == "Warning" && e.Reason == Reasons.TrainingFailed, "event on gen-0");
        Assert.Null(await cluster.Jobs.GetAsync(new(Ns, "gen-0-eval"), default));
    }

    [Fact]
    public async Task Manual_mode_promotes_only_after_the_approval_annotation()
    {
        await using var cluster = await LineageCluster.StartAsync();
        await cluster.CreateAsync("gen-0", cluster.Spec(promotion: new PromotionSpec { MinScore = 0.2, Mode = PromotionSpec.Manual }));
        var waiting = await cluster.EvaluateAsync("gen-0", 0.5);
        Assert.Equal(GenerationPhases.Evaluating, waiting.Status!.Phase);
        Assert.Equal(Reasons.AwaitingApproval, waiting.Status.Conditions.Single(c => c.Type == ConditionTypes.Promoted).Reason);

        waiting.Metadata.Annotations = new Dictionary<string, string> { [WellKnown.ApprovedAnnotation] = "true" };
        await cluster.Generations.ReplaceAsync(waiting, default);
        var promoted = await cluster.PhaseAsync("gen-0", GenerationPhases.Promoted);
        Assert.Equal(Reasons.Approved, promoted.Status!.Conditions.Single(c => c.Type == ConditionTypes.Promoted).Reason);
        Assert.Equal(["gen-0"], await cluster.ChampionsAsync("math"));
    }

    [Fact]
    public async Task A_missing_secret_is_a_condition_and_a_warning_and_nothing_is_started()
    {
        await using var cluster = await LineageCluster.StartAsync();
        var spec = cluster.Spec(training: Grpo) with { Storage = new StorageSpec { Uri = "s3://models/lineages", SecretName = "nope" } };
        await cluster.CreateAsync("gen-0", spec);
        var gen = await EventuallyAsync(() => cluster.Generations.GetAsync(new(Ns, "gen-0"), default),
            g => g.Status?.Conditions.Any(c => c.Reason == Reasons.SecretNotFound) == true, "SecretNotFound");
        Assert.Equal(GenerationPhases.Pending, gen.Status!.Phase);
        await cluster.EventuallyEventAsync("gen-0", e => e.Type == "Warning" && e.Reason == Reasons.SecretNotFound, "event on gen-0");
        Assert.Null(await cluster.GrpoRuns.GetAsync(new(Ns, "gen-0"), default));
    }

    [Fact]
    public async Task An_operator_restarted_mid_training_creates_no_second_job()
    {
        await using var cluster = await LineageCluster.StartAsync();
        await cluster.CreateAsync("gen-0", cluster.Spec(training: Grpo));
        await cluster.StartJobAsync("gen-0-train");
        await cluster.PhaseAsync("gen-0", GenerationPhases.Training);
        await cluster.StopOperatorAsync();

        cluster.StartOperator();
        await cluster.WriteProgressAsync("gen-0", 7, 10, 0.4);
        await EventuallyAsync(() => cluster.GrpoRuns.GetAsync(new(Ns, "gen-0"), default), r => r.Status?.Step == 7, "the new operator mirrors progress");
        await cluster.WriteModelAsync("gen-0");
        await cluster.CompleteJobAsync("gen-0-train");
        await cluster.EvaluateAsync("gen-0", 0.5);

        Assert.Equal(1, cluster.Server.Requests.Count("create", "jobs") - 1); // one training Job, one evaluation Job
        Assert.Equal(1, cluster.Server.Requests.Count("create", "grporuns"));
        Assert.Equal(2, (await cluster.Jobs.ListAsync(Ns, null, default)).Count);
    }

    [Fact]
    public async Task Deleting_applies_retention_but_keeps_a_checkpoint_a_child_uses()
    {
        await using var cluster = await LineageCluster.StartAsync();
        await cluster.CreateAsync("gen-0", cluster.Spec(training: Grpo, retention: Retention.Delete));
        await cluster.WriteModelAsync("gen-0");
        await cluster.WriteProgressAsync("gen-0", 10, 10, 0.5);
        await cluster.CompleteJobAsync("gen-0-train");
        await cluster.EvaluateAsync("gen-0", 0.5);
        await cluster.CreateAsync("gen-1", cluster.Spec(parent: "gen-0", training: Grpo, retention: Retention.Delete));
        await cluster.JobAsync("gen-1-train");
        await cluster.StartJobAsync("gen-1-train");
        await cluster.WriteProgressAsync("gen-1", 2, 10, 0.3);
        Assert.Contains(WellKnown.Finalizer, (await cluster.GenerationAsync("gen-0")).Metadata.Finalizers);

        // gen-0 goes: its progress and eval result are deleted, its model stays (gen-1 trains from it).
        await cluster.Generations.DeleteAsync(new(Ns, "gen-0"), default);
        await EventuallyAsync(async () => (object?)(await cluster.Generations.GetAsync(new(Ns, "gen-0"), default) is null ? "gone" : null), _ => true, "gen-0 deleted");
        var left = (await cluster.Store.ListAsync("math/gen-0/", default)).Select(o => o.Key).ToList();
        Assert.Equal(["math/gen-0/model/manifest.json", "math/gen-0/model/model.safetensors"], left.Order());

        // gen-1 goes mid-training: its run and Job are stopped, and with no child everything of it is deleted.
        await cluster.Generations.DeleteAsync(new(Ns, "gen-1"), default);
        await EventuallyAsync(async () => (object?)(await cluster.Generations.GetAsync(new(Ns, "gen-1"), default) is null ? "gone" : null), _ => true, "gen-1 deleted");
        Assert.Null(await cluster.GrpoRuns.GetAsync(new(Ns, "gen-1"), default));
        Assert.Null(await cluster.Jobs.GetAsync(new(Ns, "gen-1-train"), default));
        Assert.Empty(await cluster.Store.ListAsync("math/gen-1/", default));
    }
}
