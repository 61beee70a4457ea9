using k8s.Models;
using Lineage.Contracts.Config;
using Lineage.Operator.Api.V1Alpha1;
using Lineage.Operator.Runtime;
using static Lineage.Operator.Tests.Integration.LineageCluster;

namespace Lineage.Operator.Tests.Integration;

/// <summary>A Lineage breeding its Generations through the real operator and API server; the test plays the trainer.</summary>
public sealed class LineageGrowthTests
{
    static LineageResource Math(LineageCluster cluster) => new()
    {
        Metadata = new V1ObjectMeta { Name = "math", NamespaceProperty = Ns },
        Spec = new LineageResource.LineageSpec
        {
            Base = new LineageBase { Uri = "s3://models/base/tiny" },
            Template = new GenerationTemplate
            {
                Evaluation = new EvaluationSpec { Dataset = new DataConfig { Task = "addition" }, Problems = 50 },
                Promotion = new PromotionSpec { MinScore = 0.2, MinImprovementOverParent = 0.05 },
                Storage = new StorageSpec { Uri = cluster.StoreUri },
            },
            Plan =
            [
                new PlanStep { Name = "grpo", Grpo = new GrpoTemplate { Steps = 20, CheckpointEvery = 10 } },
                new PlanStep { Name = "distill", Distillation = new DistillationTemplate { Strategy = "selfConsistency", Samples = 4, Filter = "consistency" } },
            ],
            MaxGenerations = 3,
            Stop = new StopRule { Patience = 0 },
        },
    };

    /// <summary>The trainer's part for a bred generation: its run's Job succeeds with a model in the store.</summary>
    static async Task TrainAsync(LineageCluster cluster, string generation)
    {
        await cluster.JobAsync($"{generation}-train");
        await cluster.WriteModelAsync(generation);
        await cluster.CompleteJobAsync($"{generation}-train");
    }

    [Fact]
    public async Task A_lineage_grows_three_generations_from_its_champion_through_a_rejected_one_and_completes()
    {
        await using var cluster = await LineageCluster.StartAsync();
        var lineages = new ResourceClient<LineageResource>(cluster.Client);
        await lineages.CreateAsync(Math(cluster), default);

        var gen0 = await cluster.EvaluateAsync("math-0", 0.50);
        Assert.Equal(GenerationPhases.Promoted, gen0.Status!.Phase);

        var gen1 = await EventuallyAsync(() => cluster.Generations.GetAsync(new(Ns, "math-1"), default), _ => true, "math-1 bred");
        Assert.Equal(("math-0", "grpo"), (gen1.Spec.Parent, gen1.Metadata.Labels[WellKnown.StepLabel]));
        await TrainAsync(cluster, "math-1");
        Assert.Equal(GenerationPhases.Rejected, (await cluster.EvaluateAsync("math-1", 0.52)).Status!.Phase); // +0.02 < +0.05

        var gen2 = await EventuallyAsync(() => cluster.Generations.GetAsync(new(Ns, "math-2"), default), _ => true, "math-2 bred");
        Assert.Equal(("math-0", "distill"), (gen2.Spec.Parent, gen2.Metadata.Labels[WellKnown.StepLabel]));
        Assert.NotNull(await EventuallyAsync(() => cluster.Distillations.GetAsync(new(Ns, "math-2"), default), _ => true, "math-2's Distillation"));
        await TrainAsync(cluster, "math-2");
        Assert.Equal(GenerationPhases.Promoted, (await cluster.EvaluateAsync("math-2", 0.61)).Status!.Phase);

        var lineage = await EventuallyAsync(() => lineages.GetAsync(new(Ns, "math"), default), l => l.Status?.Phase == LineagePhases.Complete, "the lineage to complete");
        var status = lineage.Status!;
        Assert.Equal(3, status.Generations);
        Assert.Equal(("math-2", 0.61, 1), (status.Champion?.Name, status.Champion?.Score, status.Champion?.GenerationNumber));
        Assert.Equal(
            [("math-0", "base", GenerationPhases.Promoted), ("math-1", "grpo", GenerationPhases.Rejected), ("math-2", "distill", GenerationPhases.Promoted)],
            status.History.Select(h => (h.Name, h.Step, h.Result)));
        Assert.Equal(0.50, status.History[2].ParentScore);
        Assert.Null(await cluster.Generations.GetAsync(new(Ns, "math-3"), default));

        var events = await cluster.EventuallyEventAsync("math", e => e.Reason == Reasons.MaxGenerationsReached, "the Complete event");
        Assert.Equal(3, events.Count(e => e.Reason == Reasons.Born));
        Assert.Equal(2, events.Count(e => e.Reason == Reasons.GenerationPromoted));
        Assert.Equal(1, events.Count(e => e.Reason == Reasons.GenerationRejected));
        Assert.Equal(3, cluster.Server.Requests.Count(r => r.Verb == "create" && r.Resource == "generations" && r.Succeeded));
    }

    [Fact]
    public async Task Deleting_a_lineage_deletes_its_generations_through_their_owner_references()
    {
        await using var cluster = await LineageCluster.StartAsync();
        var lineages = new ResourceClient<LineageResource>(cluster.Client);
        await lineages.CreateAsync(Math(cluster), default);
        await cluster.EvaluateAsync("math-0", 0.50);
        await EventuallyAsync(() => cluster.Generations.GetAsync(new(Ns, "math-1"), default), _ => true, "math-1 bred");

        await lineages.DeleteAsync(new(Ns, "math"), default);
        await EventuallyAsync(async () => (object?)(await cluster.Generations.ListAsync(Ns, null, default)).Count, n => (int)n == 0, "the generations to go");
        Assert.Null(await cluster.GrpoRuns.GetAsync(new(Ns, "math-1"), default));
    }
}
