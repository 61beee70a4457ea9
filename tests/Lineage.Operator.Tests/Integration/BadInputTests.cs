using k8s.Models;
using Lineage.Contracts.Config;
using Lineage.Operator.Api.V1Alpha1;
using Lineage.Operator.Runtime;
using static Lineage.Operator.Tests.Integration.LineageCluster;

namespace Lineage.Operator.Tests.Integration;

/// <summary>
/// Input the CRD schema cannot judge, because it needs other objects (a parent, a Secret) or the trainer's own rules:
/// the operator refuses it with a condition and a Warning event naming what is wrong, starts nothing for it, and leaves
/// what was already there as it was. docs/reliability.md quotes these messages.
/// </summary>
public sealed class BadInputTests
{
    static readonly TrainingSpec Grpo = new() { Grpo = new GrpoTemplate { Steps = 10, CheckpointEvery = 5 } };

    static Condition Condition(Generation g, string type) => g.Status!.Conditions.Single(c => c.Type == type);

    [Fact]
    public async Task A_missing_foreign_or_looping_parent_waits_with_a_condition_naming_it_and_starts_nothing()
    {
        await using var cluster = await LineageCluster.StartAsync();
        await cluster.CreateAsync("gen-0", cluster.Spec());
        var promoted = await cluster.EvaluateAsync("gen-0", 0.40);
        Assert.Equal(GenerationPhases.Promoted, promoted.Status!.Phase);

        await cluster.CreateAsync("orphan", cluster.Spec(parent: "gen-9", training: Grpo));
        await cluster.CreateAsync("stranger", cluster.Spec(parent: "gen-0", training: Grpo) with { Lineage = "code" });
        await cluster.CreateAsync("loop-a", cluster.Spec(parent: "loop-b", training: Grpo));
        await cluster.CreateAsync("loop-b", cluster.Spec(parent: "loop-a", training: Grpo));

        var expected = new (string Name, string Reason, string Message)[]
        {
            ("orphan", Reasons.ParentNotFound, "parent Generation gen-9 not found in namespace ml"),
            ("stranger", Reasons.ParentInOtherLineage, "parent gen-0 belongs to lineage math, not code"),
            ("loop-a", Reasons.ParentCycle, "the parent chain loops: loop-a → loop-b → loop-a"),
            ("loop-b", Reasons.ParentCycle, "the parent chain loops: loop-b → loop-a → loop-b"),
        };
        foreach (var (name, reason, message) in expected)
        {
            var g = await EventuallyAsync(() => cluster.Generations.GetAsync(new(Ns, name), default),
                g => g.Status?.Conditions.Any(c => c.Type == ConditionTypes.ParentReady && c.Reason == reason) == true, $"{name}: {reason}");
            Assert.Equal(GenerationPhases.Pending, g.Status!.Phase);
            Assert.Equal(("False", message), (Condition(g, ConditionTypes.ParentReady).Status, Condition(g, ConditionTypes.ParentReady).Message));
            await cluster.EventuallyEventAsync(name, e => e.Type == "Warning" && e.Reason == reason && e.Message == message, $"Warning {reason} on {name}");
            Assert.Null(await cluster.GrpoRuns.GetAsync(new(Ns, name), default));
            Assert.Null(await cluster.Jobs.GetAsync(new(Ns, $"{name}-train"), default));
            Assert.Null(await cluster.Jobs.GetAsync(new(Ns, $"{name}-eval"), default));
        }

        // The promoted parent that "stranger" named is untouched: same phase, checkpoint and resourceVersion.
        var after = await cluster.GenerationAsync("gen-0");
        Assert.Equal((GenerationPhases.Promoted, promoted.Status.Checkpoint?.Uri, promoted.Metadata.ResourceVersion),
            (after.Status!.Phase, after.Status.Checkpoint?.Uri, after.Metadata.ResourceVersion));
    }

    [Fact]
    public async Task A_secret_without_the_keys_is_a_condition_naming_the_secret_and_the_keys_and_starts_nothing()
    {
        await using var cluster = await LineageCluster.StartAsync();
        await new ResourceClient<V1Secret>(cluster.Client).CreateAsync(new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = "s3-half", NamespaceProperty = Ns },
            StringData = new Dictionary<string, string> { [StorageSpec.AccessKeyIdKey] = "lineage" },
        }, default);
        var spec = cluster.Spec(training: Grpo) with { Storage = new StorageSpec { Uri = "s3://models/lineages", SecretName = "s3-half" } };
        await cluster.CreateAsync("gen-0", spec);

        var g = await EventuallyAsync(() => cluster.Generations.GetAsync(new(Ns, "gen-0"), default),
            g => g.Status?.Conditions.Any(c => c.Reason == Reasons.SecretKeyMissing) == true, "SecretKeyMissing");
        const string message = "Secret s3-half (storage.secretName) must hold AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY";
        Assert.Equal(("False", message), (Condition(g, ConditionTypes.StorageReady).Status, Condition(g, ConditionTypes.StorageReady).Message));
        Assert.Equal(GenerationPhases.Pending, g.Status!.Phase);
        await cluster.EventuallyEventAsync("gen-0", e => e.Type == "Warning" && e.Reason == Reasons.SecretKeyMissing && e.Message == message, "Warning event");
        Assert.Null(await cluster.GrpoRuns.GetAsync(new(Ns, "gen-0"), default));
        Assert.Empty(await cluster.Jobs.ListAsync(Ns, null, default));
    }

    [Fact]
    public async Task A_training_config_the_trainer_would_refuse_fails_the_generation_naming_the_field_before_any_run()
    {
        await using var cluster = await LineageCluster.StartAsync();
        await cluster.CreateAsync("gen-0", cluster.Spec());
        await cluster.EvaluateAsync("gen-0", 0.40);
        // The CRD allows a regex reward without its pattern (the field is optional for the other rewards); the trainer does not.
        var regex = new TrainingSpec { Grpo = new GrpoTemplate { Steps = 10, CheckpointEvery = 5, Rewards = [new RewardSpec { Name = "regex" }] } };
        await cluster.CreateAsync("gen-1", cluster.Spec(parent: "gen-0", training: regex));

        var failed = await cluster.PhaseAsync("gen-1", GenerationPhases.Failed);
        var condition = Condition(failed, ConditionTypes.Failed);
        Assert.Equal(Reasons.InvalidSpec, condition.Reason);
        Assert.Equal("spec.training.grpo: invalid config:\n  rewards[0].pattern: is required for the regex reward", condition.Message);
        await cluster.EventuallyEventAsync("gen-1", e => e.Type == "Warning" && e.Reason == Reasons.InvalidSpec, "Warning InvalidSpec");
        Assert.Null(await cluster.GrpoRuns.GetAsync(new(Ns, "gen-1"), default));
        Assert.Null(await cluster.Jobs.GetAsync(new(Ns, "gen-1-train"), default));
        Assert.Equal(GenerationPhases.Promoted, (await cluster.GenerationAsync("gen-0")).Status!.Phase);
    }
}
