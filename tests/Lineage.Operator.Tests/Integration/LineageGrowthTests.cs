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
        // One status write per birth, carrying the newborn (and the verdict that let it be bred): math-0 born, then
        // math-0 promoted + math-1 born. math-0's own Pending → Evaluating only mirrors a generation in flight and is
        // paced (LineageStatusPacing); the newborns' arrival in the cache writes nothing more.
        await EventuallyAsync(() => lineages.GetAsync(new(Ns, "math"), default), l => l.Status?.History.Count == 2, "math-1 in the history");
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal(2, LineageStatusWrites(cluster));
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

        // Four Lineage Events, not seven: each Normal verdict is told by the Event of the pass it led to (the next birth, or Complete).
        var events = await cluster.EventuallyEventAsync("math", e => e.Reason == Reasons.MaxGenerationsReached, "the Complete event");
        Assert.Equal([Reasons.Born, Reasons.Born, Reasons.Born, Reasons.MaxGenerationsReached], events.Select(e => e.Reason).Order(StringComparer.Ordinal));
        Assert.All(events, e => Assert.Equal("Normal", e.Type));
        Assert.Contains(events, e => e.Reason == Reasons.Born && e.Message.StartsWith("breeding math-1 (grpo) from champion math-0", StringComparison.Ordinal)
            && e.Message.Contains("; math-0 (base) Promoted: score 0.5, parent none — ", StringComparison.Ordinal));
        Assert.Contains(events, e => e.Reason == Reasons.Born && e.Message.StartsWith("breeding math-2 (distill) from champion math-0", StringComparison.Ordinal)
            && e.Message.Contains("; math-1 (grpo) Rejected: score 0.52, parent 0.5 — ", StringComparison.Ordinal));
        Assert.Contains(events, e => e.Reason == Reasons.MaxGenerationsReached && e.Message.Contains("; math-2 (distill) Promoted: score 0.61, parent 0.5 — ", StringComparison.Ordinal));
        Assert.Equal(3, cluster.Server.Requests.Count(r => r.Verb == "create" && r.Resource == "generations" && r.Succeeded));
        // Births (3, the last two with the verdict before them) and the last verdict with Complete.
        Assert.Equal(4, LineageStatusWrites(cluster));
        // Read-your-own-writes: no status write went from a copy older than the pass's own last write (a child's event can
        // wake the next pass before the echo), and none is remembered once the cache has it.
        Assert.Equal(0, cluster.Server.Requests.Count(r => r is { Verb: "update", Resource: "lineages", Subresource: "status", StatusCode: 409 }));
        await EventuallyAsync(() => Task.FromResult(cluster.Controllers!.Lineages.PendingOwnWrites), n => n == 0, "no own Lineage write held", seconds: 20);

        // The operator's caches hold each equal spec part once: the generations bred from one template, and their runs.
        var generations = cluster.Host!.InformerFor<Generation>();
        var (cached0, cached2) = (generations.Get(new(Ns, "math-0"))!, generations.Get(new(Ns, "math-2"))!);
        Assert.Same(cached0.Spec.Evaluation, cached2.Spec.Evaluation);
        Assert.Same(cached0.Spec.Storage, cached2.Spec.Storage);
        var grpoRun = cluster.Host.InformerFor<GrpoRun>().Get(new(Ns, "math-1"))!;
        var distillation = cluster.Host.InformerFor<Distillation>().Get(new(Ns, "math-2"))!;
        Assert.Same(cached0.Spec.Storage, grpoRun.Spec.Storage);
        Assert.Same(grpoRun.Spec.Resources, distillation.Spec.Resources);
    }

    /// <summary>
    /// The create of math-1, whose Born Event would tell math-0's promotion, fails: answered AlreadyExists (nothing born in
    /// this pass: the promotion is an Event of its own) or a server error (the pass fails and the next, breeding math-1, tells
    /// it). Either way math-0's verdict is told exactly once in the Lineage's Events.
    /// </summary>
    [Theory]
    [InlineData(409, "AlreadyExists", true)]
    [InlineData(500, null, false)]
    public async Task A_verdict_the_born_event_would_tell_is_still_told_once_when_the_create_fails(int code, string? reason, bool ownEvent)
    {
        await using var cluster = await LineageCluster.StartAsync();
        var lineages = new ResourceClient<LineageResource>(cluster.Client);
        await lineages.CreateAsync(Math(cluster), default);
        await EventuallyAsync(() => cluster.Generations.GetAsync(new(Ns, "math-0"), default), _ => true, "math-0 bred");
        cluster.Server.FailNext(1, code, "/generations", "POST", reason: reason);

        await cluster.EvaluateAsync("math-0", 0.50);
        const string verdict = "math-0 (base) Promoted: score 0.5, parent none";
        if (ownEvent)
        {
            await cluster.EventuallyEventAsync("math", e => e is { Type: "Normal", Reason: Reasons.GenerationPromoted } && e.Message.StartsWith(verdict, StringComparison.Ordinal),
                "math-0's promotion as its own Event");
            // The child said to exist is not there: a change to the Lineage has it bred now.
            var lineage = (await lineages.GetAsync(new(Ns, "math"), default))!;
            lineage.Metadata.Annotations = new Dictionary<string, string> { ["example.com/nudge"] = "1" };
            await lineages.ReplaceAsync(lineage, default);
        }
        var events = await cluster.EventuallyEventAsync("math", e => e.Reason == Reasons.Born && e.Message.StartsWith("breeding math-1", StringComparison.Ordinal), "math-1's Born");
        Assert.Equal(1, cluster.Server.InjectedFaults.GetValueOrDefault(code.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(1, cluster.Server.Requests.Count(r => r is { Verb: "create", Resource: "generations", Succeeded: false }));
        Assert.Single(events, e => e.Message.Contains(verdict, StringComparison.Ordinal));
        Assert.Equal(ownEvent ? 1 : 0, events.Count(e => e.Reason == Reasons.GenerationPromoted));
        Assert.Equal(ownEvent ? 3 : 2, events.Count);
    }

    static int LineageStatusWrites(LineageCluster cluster) =>
        cluster.Server.Requests.Count(r => r is { Verb: "update", Resource: "lineages", Subresource: "status" } && r.Succeeded);

    [Fact]
    public async Task A_generation_whose_judge_reward_rose_while_its_score_fell_below_its_parents_is_rejected_as_reward_hacking()
    {
        await using var cluster = await LineageCluster.StartAsync();
        var lineages = new ResourceClient<LineageResource>(cluster.Client);
        var math = Math(cluster);
        var judge = new RewardSpec { Name = "judge", Model = "s3://models/judges/judge2", Principles = ["the answer is correct", "think, then answer"] };
        math.Spec = math.Spec with
        {
            // The margin tolerates a regression of 0.2: without the reward trend, 0.14 → 0.01 would be promoted.
            Template = math.Spec.Template with { Promotion = new PromotionSpec { MinScore = 0, MinImprovementOverParent = -0.2 } },
            Plan = [new PlanStep { Name = "rlaif", Grpo = new GrpoTemplate { Steps = 20, CheckpointEvery = 10, Rewards = [judge] } }],
            MaxGenerations = 2,
        };
        await lineages.CreateAsync(math, default);
        await cluster.EvaluateAsync("math-0", 0.14);

        await cluster.JobAsync("math-1-train");
        await cluster.WriteModelAsync("math-1");
        await cluster.WriteProgressAsync("math-1", 20, 20, 0.81, trend: (0.21, 0.78));
        await cluster.CompleteJobAsync("math-1-train");
        var run = await EventuallyAsync(() => cluster.GrpoRuns.GetAsync(new(Ns, "math-1"), default), r => r.Status?.Phase == RunPhases.Succeeded, "math-1's run to succeed");
        Assert.Equal((0.21, 0.78), (run.Status!.Metrics?.RewardFirst, run.Status.Metrics?.RewardLast));
        var gen1 = await cluster.EvaluateAsync("math-1", 0.01);

        const string message = "training reward rose 0.21 → 0.78 (judge) while the held-out score fell 0.14 → 0.01, below the parent's: reward hacking suspected";
        Assert.Equal(GenerationPhases.Rejected, gen1.Status!.Phase);
        var promoted = gen1.Status.Conditions.Single(c => c.Type == ConditionTypes.Promoted);
        Assert.Equal(("False", Reasons.RewardHackingSuspected, message), (promoted.Status, promoted.Reason, promoted.Message));
        await cluster.EventuallyEventAsync("math-1", e => e is { Type: "Warning", Reason: Reasons.RewardHackingSuspected } && e.Message == message, "the warning on math-1");
        await cluster.EventuallyEventAsync("math-1", e => e.Reason == GenerationPhases.Rejected && e.Message.EndsWith(message, StringComparison.Ordinal), "Rejected on math-1");

        var lineage = await EventuallyAsync(() => lineages.GetAsync(new(Ns, "math"), default), l => l.Status?.Phase == LineagePhases.Complete, "the lineage to complete");
        var entry = lineage.Status!.History.Single(h => h.Name == "math-1");
        Assert.Equal((GenerationPhases.Rejected, Reasons.RewardHackingSuspected, message), (entry.Result, entry.Reason, entry.Message));
        Assert.Equal("math-0", lineage.Status.Champion?.Name);
        await cluster.EventuallyEventAsync("math", e => e is { Type: "Warning", Reason: Reasons.GenerationRejected } && e.Message.EndsWith(message, StringComparison.Ordinal),
            "GenerationRejected on the lineage");
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
