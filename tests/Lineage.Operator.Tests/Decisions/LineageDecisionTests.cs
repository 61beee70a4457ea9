using k8s.Models;
using Lineage.Contracts.Config;
using Lineage.Operator.Api.V1Alpha1;
using Lineage.Operator.Decisions;
using static Lineage.Operator.Tests.Fixtures;

namespace Lineage.Operator.Tests.Decisions;

public sealed class LineageDecisionTests
{
    static readonly PlanStep GrpoStep = new() { Name = "grpo", Grpo = new GrpoTemplate { Steps = 100, CheckpointEvery = 50 } };
    static readonly PlanStep DistillStep = new() { Name = "distill", Distillation = new DistillationTemplate { Strategy = "bestOfN", Ranker = new RewardSpec { Name = "accuracy" } } };

    static LineageResource MathLineage(int maxGenerations = 5, StopRule? stop = null, bool suspend = false, string approval = "auto", LineageResource.LineageStatus? status = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = "math", NamespaceProperty = Ns, Uid = "uid-math", Generation = 1 },
        Spec = new LineageResource.LineageSpec
        {
            Base = new LineageBase { Training = new TrainingSpec { Distillation = new DistillationTemplate { Demonstrations = new DataConfig { Task = "multiplication", Digits = 2 } } } },
            Template = new GenerationTemplate
            {
                Evaluation = new EvaluationSpec { Dataset = new DataConfig { Task = "multiplication", Digits = 2 }, Problems = 813 },
                Promotion = new PromotionSpec { MinScore = 0.1, MinImprovementOverParent = 0.0 },
                Storage = new StorageSpec { Uri = "file:///var/lib/lineage/store" },
            },
            Plan = [GrpoStep, DistillStep],
            MaxGenerations = maxGenerations,
            Stop = stop ?? new StopRule { Patience = 0 },
            Suspend = suspend,
            Approval = approval,
        },
        Status = status,
    };

    /// <summary>A generation the lineage bred, in a phase, with a score.</summary>
    static Generation Bred(int birth, string? phase, double? score = null, string? parent = null, int? number = null, string step = "grpo") => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = $"math-{birth}", NamespaceProperty = Ns, Uid = $"uid-math-{birth}",
            Labels = new Dictionary<string, string> { [WellKnown.StepLabel] = birth == 0 ? "base" : step },
            Annotations = new Dictionary<string, string> { [WellKnown.BirthAnnotation] = birth.ToString() },
            CreationTimestamp = Now.AddMinutes(birth),
        },
        Spec = new Generation.GenerationSpec { Lineage = "math", Parent = parent },
        Status = phase is null ? null : new Generation.GenerationStatus
        {
            Phase = phase, Score = score, GenerationNumber = number ?? (parent is null ? 0 : 1),
            Checkpoint = new CheckpointRef { Uri = $"file:///var/lib/lineage/store/math/math-{birth}/model" },
        },
    };

    static LineagePlan Decide(LineageResource lineage, params Generation[] generations) => LineageDecision.Decide(new(lineage, generations, Now));

    [Fact]
    public void A_new_lineage_breeds_generation_zero_from_its_base_owned_and_labelled()
    {
        var plan = Decide(MathLineage());
        var child = Assert.IsType<Generation>(plan.Breed);
        Assert.Equal("math-0", child.Metadata.Name);
        Assert.Null(child.Spec.Parent);
        Assert.Null(child.Spec.Base);
        Assert.Equal("multiplication", child.Spec.Training?.Distillation?.Demonstrations?.Task);
        Assert.Equal("base", child.Metadata.Labels[WellKnown.StepLabel]);
        Assert.Equal("math", child.Metadata.Labels[WellKnown.LineageLabel]);
        Assert.Equal("0", child.Metadata.Annotations[WellKnown.BirthAnnotation]);
        var owner = Assert.Single(child.Metadata.OwnerReferences);
        Assert.Equal(("Lineage", "math", "uid-math", true), (owner.Kind, owner.Name, owner.Uid, owner.Controller == true));
        Assert.Equal(813, child.Spec.Evaluation.Problems);
        Assert.Equal(LineagePhases.Growing, plan.Status.Phase);
        Assert.Equal(Reasons.Born, plan.BornEvent?.Reason);
    }

    [Fact]
    public void Nothing_is_bred_while_a_generation_is_in_flight()
    {
        var plan = Decide(MathLineage(), Bred(0, GenerationPhases.Training));
        Assert.Null(plan.Breed);
        Assert.Equal(LineagePhases.Growing, plan.Status.Phase);
        var growing = Assert.Single(plan.Status.Conditions, c => c.Type == ConditionTypes.Growing);
        Assert.Equal((Reasons.GenerationInFlight, "True"), (growing.Reason, growing.Status));
        Assert.Contains("math-0 (base) is Training", growing.Message);
    }

    [Fact]
    public void The_next_generation_comes_from_the_champion_with_the_next_plan_step()
    {
        var plan = Decide(MathLineage(), Bred(0, GenerationPhases.Promoted, 0.62));
        var child = Assert.IsType<Generation>(plan.Breed);
        Assert.Equal(("math-1", "math-0", "grpo"), (child.Metadata.Name, child.Spec.Parent, child.Metadata.Labels[WellKnown.StepLabel]));
        Assert.NotNull(child.Spec.Training?.Grpo);
        Assert.Null(child.Spec.Base);
        Assert.Equal(PromotionSpec.Auto, child.Spec.Promotion.Mode);
        Assert.Equal(new Champion { Name = "math-0", GenerationNumber = 0, Score = 0.62, ModelUri = "file:///var/lib/lineage/store/math/math-0/model" }, plan.Status.Champion);
    }

    [Fact]
    public void A_rejected_generation_does_not_stop_the_lineage_and_the_next_step_starts_again_from_the_champion()
    {
        var plan = Decide(MathLineage(), Bred(0, GenerationPhases.Promoted, 0.62), Bred(1, GenerationPhases.Rejected, 0.55, parent: "math-0"));
        var child = Assert.IsType<Generation>(plan.Breed);
        Assert.Equal(("math-2", "math-0", "distill"), (child.Metadata.Name, child.Spec.Parent, child.Metadata.Labels[WellKnown.StepLabel]));
        Assert.NotNull(child.Spec.Training?.Distillation);
        Assert.Equal("math-0", plan.Status.Champion?.Name);
        Assert.Contains(plan.Events, e => e.Reason == Reasons.GenerationRejected && e.Message.StartsWith("math-1 (grpo) Rejected: score 0.55, parent none", StringComparison.Ordinal));
    }

    [Fact]
    public void The_plan_repeats_and_the_champion_is_the_newest_promoted_generation()
    {
        var plan = Decide(MathLineage(maxGenerations: 10), Bred(0, GenerationPhases.Promoted, 0.5), Bred(1, GenerationPhases.Promoted, 0.6, "math-0"),
            Bred(2, GenerationPhases.Promoted, 0.7, "math-1", step: "distill"));
        var child = Assert.IsType<Generation>(plan.Breed);
        Assert.Equal(("math-3", "math-2", "grpo"), (child.Metadata.Name, child.Spec.Parent, child.Metadata.Labels[WellKnown.StepLabel]));
    }

    [Fact]
    public void It_completes_at_max_generations_counting_rejected_ones()
    {
        var plan = Decide(MathLineage(maxGenerations: 3), Bred(0, GenerationPhases.Promoted, 0.5), Bred(1, GenerationPhases.Rejected, 0.4, "math-0"),
            Bred(2, GenerationPhases.Promoted, 0.7, "math-0", step: "distill"));
        Assert.Null(plan.Breed);
        Assert.Equal(LineagePhases.Complete, plan.Status.Phase);
        Assert.Equal("True", Assert.Single(plan.Status.Conditions, c => c.Type == ConditionTypes.Complete).Status);
        Assert.Equal("False", Assert.Single(plan.Status.Conditions, c => c.Type == ConditionTypes.Growing).Status);
        Assert.Contains(plan.Events, e => e.Reason == Reasons.MaxGenerationsReached);
        Assert.Equal(3, plan.Status.Generations);
    }

    [Fact]
    public void Raising_max_generations_lets_a_complete_lineage_grow_again()
    {
        var gens = new[] { Bred(0, GenerationPhases.Promoted, 0.5), Bred(1, GenerationPhases.Promoted, 0.6, "math-0") };
        Assert.Equal(LineagePhases.Complete, Decide(MathLineage(maxGenerations: 2), gens).Status.Phase);
        Assert.Equal("math-2", Decide(MathLineage(maxGenerations: 4), gens).Breed?.Metadata.Name);
    }

    public static TheoryData<double[], string?[], int, bool> PlateauCases => new()
    {
        // scores by birth (NaN = Rejected), patience → plateaued?
        { [0.50, 0.505, double.NaN], ["Promoted", "Promoted", "Rejected"], 2, true },    // 0.505 is < 0.01 better: 2 since the last improvement
        { [0.50, 0.52, double.NaN], ["Promoted", "Promoted", "Rejected"], 2, false },    // 0.52 improved: 1 since
        { [0.50, double.NaN, double.NaN], ["Promoted", "Rejected", "Failed"], 2, true },
        { [0.50, double.NaN, double.NaN], ["Promoted", "Rejected", "Failed"], 3, false },
        { [0.50, double.NaN, double.NaN], ["Promoted", "Rejected", "Failed"], 0, false }, // patience 0: never early
    };

    [Theory]
    [MemberData(nameof(PlateauCases))]
    public void The_stopping_rule_counts_generations_since_the_last_improving_promotion(double[] scores, string?[] phases, int patience, bool plateaued)
    {
        var gens = scores.Select((s, i) => Bred(i, phases[i], double.IsNaN(s) ? null : s, i == 0 ? null : "math-0")).ToArray();
        var plan = Decide(MathLineage(maxGenerations: 20, stop: new StopRule { Patience = patience, MinImprovement = 0.01 }), gens);
        Assert.Equal(plateaued ? LineagePhases.Plateaued : LineagePhases.Growing, plan.Status.Phase);
        Assert.Equal(!plateaued, plan.Breed is not null);
    }

    [Fact]
    public void A_base_that_was_not_promoted_fails_the_lineage()
    {
        var plan = Decide(MathLineage(), Bred(0, GenerationPhases.Rejected, 0.01));
        Assert.Null(plan.Breed);
        Assert.Equal(LineagePhases.Failed, plan.Status.Phase);
        Assert.Equal(Reasons.BaseNotPromoted, Assert.Single(plan.Status.Conditions, c => c.Type == ConditionTypes.Failed).Reason);
        Assert.Contains(plan.Events, e => e.Type == EventIntent.Warning && e.Reason == Reasons.BaseNotPromoted);
    }

    [Fact]
    public void Suspend_holds_breeding_but_lets_the_running_generation_finish()
    {
        var running = Decide(MathLineage(suspend: true), Bred(0, GenerationPhases.Evaluating));
        Assert.Equal(LineagePhases.Growing, running.Status.Phase);
        Assert.Equal("True", Assert.Single(running.Status.Conditions, c => c.Type == ConditionTypes.Suspended).Status);
        var idle = Decide(MathLineage(suspend: true), Bred(0, GenerationPhases.Promoted, 0.5));
        Assert.Null(idle.Breed);
        Assert.Equal(LineagePhases.Suspended, idle.Status.Phase);
    }

    [Fact]
    public void A_template_without_storage_uses_the_operators_default_and_fails_clearly_without_one()
    {
        var lineage = MathLineage();
        lineage.Spec = lineage.Spec with { Template = lineage.Spec.Template with { Storage = null } };
        var fallback = new StorageSpec { Uri = "file:///home/me/.local/share/lineage/store" };
        var plan = LineageDecision.Decide(new(lineage, [], Now, fallback));
        Assert.Equal(fallback, plan.Breed?.Spec.Storage);

        var none = LineageDecision.Decide(new(lineage, [], Now, null));
        Assert.Null(none.Breed);
        Assert.Equal(LineagePhases.Failed, none.Status.Phase);
        Assert.Equal(Reasons.NoStorage, Assert.Single(none.Status.Conditions, c => c.Type == ConditionTypes.Failed).Reason);
    }

    [Fact]
    public void Manual_approval_makes_every_generation_wait_for_the_annotation()
    {
        var plan = Decide(MathLineage(approval: "manual"), Bred(0, GenerationPhases.Promoted, 0.5));
        Assert.Equal(PromotionSpec.Manual, plan.Breed?.Spec.Promotion.Mode);
    }

    [Fact]
    public void The_history_lists_every_generation_with_its_step_parent_scores_and_result()
    {
        var rejected = Bred(1, GenerationPhases.Rejected, 0.55, "math-0");
        rejected.Status = rejected.Status! with
        {
            ParentScore = 0.62,
            Conditions = [new Condition { Type = ConditionTypes.Promoted, Status = "False", Reason = Reasons.NoImprovementOverParent, Message = "score 0.550 < parent 0.620 + 0.000", LastTransitionTime = Now }],
        };
        var plan = Decide(MathLineage(), Bred(0, GenerationPhases.Promoted, 0.62), rejected, Bred(2, GenerationPhases.Training, parent: "math-0", step: "distill"));
        Assert.Equal(["math-0", "math-1", "math-2"], plan.Status.History.Select(h => h.Name));
        var entry = plan.Status.History[1];
        Assert.Equal(("grpo", "math-0", 0.55, 0.62, GenerationPhases.Rejected), (entry.Step, entry.Parent, entry.Score, entry.ParentScore, entry.Result));
        Assert.Equal(Reasons.NoImprovementOverParent, entry.Reason);
        Assert.Equal("score 0.550 < parent 0.620 + 0.000", entry.Message);
        Assert.Equal(Now, entry.FinishedAt);
        Assert.Null(plan.Status.History[2].FinishedAt);
    }

    [Fact]
    public void A_generation_rejected_for_suspected_reward_hacking_is_a_warning_with_the_gates_message()
    {
        const string message = "training reward rose 0.21 → 0.78 (judge) while the held-out score fell 0.62 → 0.01, below the parent's: reward hacking suspected";
        var hacked = Bred(1, GenerationPhases.Rejected, 0.01, "math-0");
        hacked.Status = hacked.Status! with
        {
            ParentScore = 0.62,
            Conditions = [new Condition { Type = ConditionTypes.Promoted, Status = "False", Reason = Reasons.RewardHackingSuspected, Message = message, LastTransitionTime = Now }],
        };
        var plan = Decide(MathLineage(), Bred(0, GenerationPhases.Promoted, 0.62), hacked);

        var entry = plan.Status.History[1];
        Assert.Equal((GenerationPhases.Rejected, Reasons.RewardHackingSuspected, message), (entry.Result, entry.Reason, entry.Message));
        var rejected = Assert.Single(plan.Events, e => e.Reason == Reasons.GenerationRejected);
        Assert.Equal(EventIntent.Warning, rejected.Type);
        Assert.Equal($"math-1 (grpo) Rejected: score 0.01, parent 0.62 — {message}", rejected.Message);
        Assert.Equal("math-2", plan.Breed?.Metadata.Name); // the lineage breeds on from its champion
    }

    [Fact]
    public void Deciding_again_on_the_same_observation_records_no_event_twice()
    {
        var gens = new[] { Bred(0, GenerationPhases.Promoted, 0.5), Bred(1, GenerationPhases.Rejected, 0.4, "math-0"), Bred(2, GenerationPhases.Promoted, 0.7, "math-0") };
        var first = Decide(MathLineage(maxGenerations: 3), gens);
        Assert.NotEmpty(first.Events);
        var second = Decide(MathLineage(maxGenerations: 3, status: first.Status), gens);
        Assert.Empty(second.Events);
        Assert.True(global::Lineage.Operator.Controllers.StatusJson.Same(first.Status, second.Status));
    }
}
