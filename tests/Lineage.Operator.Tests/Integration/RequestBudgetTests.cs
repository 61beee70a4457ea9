using Lineage.Operator.Api.V1Alpha1;
using static Lineage.Operator.Tests.Integration.LineageCluster;

namespace Lineage.Operator.Tests.Integration;

/// <summary>What a reconcile costs the API server: ancestors come from the informer cache, a new Generation gets one metadata update.</summary>
public sealed class RequestBudgetTests
{
    [Fact]
    public async Task A_three_deep_lineage_reads_its_ancestors_from_the_cache_and_updates_each_generations_metadata_once()
    {
        await using var cluster = await LineageCluster.StartAsync();
        await cluster.CreateAsync("gen-0", cluster.Spec());
        Assert.Equal(GenerationPhases.Promoted, (await cluster.EvaluateAsync("gen-0", 0.40)).Status!.Phase);
        cluster.Server.Requests.Clear(); // from here on the test never reads gen-0; only an ancestor lookup would

        await cluster.CreateAsync("gen-1", cluster.Spec(parent: "gen-0"));
        await cluster.CreateAsync("gen-2", cluster.Spec(parent: "gen-1"));
        Assert.Equal(GenerationPhases.Promoted, (await cluster.EvaluateAsync("gen-1", 0.50)).Status!.Phase);
        var gen2 = await cluster.EvaluateAsync("gen-2", 0.60);

        Assert.Equal((GenerationPhases.Promoted, 2), (gen2.Status!.Phase, gen2.Status.GenerationNumber ?? -1));
        Assert.True(cluster.Server.Requests.Count("update", "generations", "status") >= 4, "gen-1 and gen-2 went through their phases");
        Assert.Equal(0, cluster.Server.Requests.Count(r => r.Verb == "get" && r.Resource == "generations" && r.Name == "gen-0"));
        // Per new Generation: finalizer and lineage label in one update; promotion is a status write alone.
        Assert.Equal(1, MetadataUpdates(cluster, "gen-1"));
        Assert.Equal(1, MetadataUpdates(cluster, "gen-2"));
    }

    static readonly TrainingSpec Grpo = new() { Grpo = new GrpoTemplate { Steps = 10, CheckpointEvery = 5 } };

    [Fact]
    public async Task A_quick_evaluation_costs_no_Evaluating_write_and_a_long_one_shows_Evaluating_within_the_pacing_interval()
    {
        await using var cluster = await LineageCluster.StartAsync();
        await cluster.CreateAsync("gen-0", cluster.Spec());
        await cluster.EvaluateAsync("gen-0", 0.40);

        // Quick: the evaluation ends within the interval, so its verdict carries the handoff: Training, then the verdict.
        await cluster.CreateAsync("gen-1", cluster.Spec(parent: "gen-0", training: Grpo));
        await TrainAsync(cluster, "gen-1");
        Assert.Equal(GenerationPhases.Promoted, (await cluster.EvaluateAsync("gen-1", 0.50)).Status!.Phase);
        Assert.Equal(2, StatusWrites(cluster, "gen-1"));

        // Long: the evaluation Job runs on; Evaluating is written once the interval since the Training write has passed.
        await cluster.CreateAsync("gen-2", cluster.Spec(parent: "gen-1", training: Grpo));
        await TrainAsync(cluster, "gen-2");
        var trainingWritten = DateTime.UtcNow;
        await cluster.JobAsync("gen-2-eval");
        Assert.Equal(GenerationPhases.Training, (await cluster.GenerationAsync("gen-2")).Status!.Phase);
        var evaluating = await EventuallyAsync(() => cluster.Generations.GetAsync(new(Ns, "gen-2"), default),
            g => g.Status?.Phase == GenerationPhases.Evaluating, "Evaluating after the pacing interval");
        Assert.True(DateTime.UtcNow - trainingWritten < Lineage.Operator.Decisions.GenerationStatusPacing.ProgressInterval + TimeSpan.FromSeconds(20), "written about one interval later");
        Assert.Equal("gen-2-eval", evaluating.Status!.EvaluationJob);
        Assert.Equal(Reasons.TrainingSucceeded, evaluating.Status.Conditions.Single(c => c.Type == ConditionTypes.Trained).Reason);
        Assert.Equal(GenerationPhases.Promoted, (await cluster.EvaluateAsync("gen-2", 0.60)).Status!.Phase);
        Assert.Equal(3, StatusWrites(cluster, "gen-2"));
    }

    /// <summary>The run's Job goes from created to succeeded with a model in the store, and the Generation sees it.</summary>
    static async Task TrainAsync(LineageCluster cluster, string name)
    {
        await cluster.PhaseAsync(name, GenerationPhases.Training);
        await cluster.JobAsync($"{name}-train");
        await cluster.WriteModelAsync(name);
        await cluster.WriteProgressAsync(name, 10, 10, 0.5);
        await cluster.CompleteJobAsync($"{name}-train");
        await EventuallyAsync(() => cluster.GrpoRuns.GetAsync(new(Ns, name), default), r => r.Status?.Phase == RunPhases.Succeeded, $"{name}'s run to succeed");
    }

    /// <summary>Status writes that changed the Generation (a write from a stale cache that met a 409 changed nothing).</summary>
    static int StatusWrites(LineageCluster cluster, string name) =>
        cluster.Server.Requests.Count(r => r.Verb == "update" && r.Resource == "generations" && r.Subresource == "status" && r.Name == name && r.Succeeded);

    static int MetadataUpdates(LineageCluster cluster, string name) =>
        cluster.Server.Requests.Count(r => r.Verb == "update" && r.Resource == "generations" && string.IsNullOrEmpty(r.Subresource) && r.Name == name && r.Succeeded);
}
