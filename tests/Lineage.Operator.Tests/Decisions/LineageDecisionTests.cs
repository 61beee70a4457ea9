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
        // A plain rejection is Normal: the Born Event of math-2 tells it instead of an Event of its own.
        Assert.DoesNotContain(plan.Events, e => e.Reason == Reasons.GenerationRejected);
        var told = Assert.Single(plan.BornTells, e => e.Reason == Reasons.GenerationRejected);
        Assert.StartsWith("math-1 (grpo) Rejected: score 0.55, parent none", told.Message, StringComparison.Ordinal);
        Assert.EndsWith($"; {told.Message}", plan.BornTelling!.Message, StringComparison.Ordinal);
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
        // The Warning is never told inside the Normal Born Event; math-0's Normal promotion is.
        Assert.Equal("breeding math-2 (distill) from champion math-0 (score 0.62); math-0 (base) Promoted: score 0.62, parent none", plan.BornTelling?.Message);
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

    /// <summary>A generation promoted over math-0 (generation 0: from the base) by the gate, as the Generation controller records it.</summary>
    static Generation PromotedOver(int birth, double score, double parentScore, string gate, string step = "grpo")
    {
        var g = Bred(birth, GenerationPhases.Promoted, score, birth == 0 ? null : "math-0", step: step);
        g.Status = g.Status! with
        {
            ParentScore = parentScore,
            Conditions = [new Condition { Type = ConditionTypes.Promoted, Status = "True", Reason = Reasons.GatePassed, Message = gate, LastTransitionTime = Now }],
        };
        return g;
    }

    [Fact]
    public void A_promotion_is_told_by_the_born_event_of_the_generation_bred_from_it_not_by_an_event_of_its_own()
    {
        var before = Decide(MathLineage(), Bred(0, GenerationPhases.Promoted, 0.3), Bred(1, GenerationPhases.Evaluating, parent: "math-0")).Status;
        const string gate = "score 0.36 ≥ minScore 0.1 and ≥ parent 0.3 + 0";
        var plan = Decide(MathLineage(status: before), Bred(0, GenerationPhases.Promoted, 0.3), PromotedOver(1, 0.36, 0.3, gate));

        Assert.Equal("math-2", plan.Breed?.Metadata.Name);
        Assert.Empty(plan.Events);
        Assert.Equal(Reasons.GenerationPromoted, Assert.Single(plan.BornTells).Reason);
        Assert.Equal(new EventIntent(EventIntent.Normal, Reasons.Born, "breeding math-2 (distill) from champion math-1 (score 0.36)"), plan.BornEvent);
        Assert.Equal(new EventIntent(EventIntent.Normal, Reasons.Born,
            $"breeding math-2 (distill) from champion math-1 (score 0.36); math-1 (grpo) Promoted: score 0.36, parent 0.3 — {gate}"), plan.BornTelling);
        // Without the birth (the child was there already) the promotion is an Event of its own again.
        Assert.Equal([Reasons.GenerationPromoted], plan.WithoutBirth.Select(e => e.Reason));
    }

    [Fact]
    public void A_phase_change_tells_the_normal_verdicts_of_its_pass_and_a_warning_stays_its_own_event()
    {
        var failed = Bred(1, GenerationPhases.Failed, parent: "math-0");
        failed.Status = failed.Status! with
        {
            Conditions = [new Condition { Type = ConditionTypes.Failed, Status = "True", Reason = Reasons.TrainingFailed, Message = "loss is NaN at step 12", LastTransitionTime = Now }],
        };
        var before = Decide(MathLineage(maxGenerations: 3), Bred(0, GenerationPhases.Promoted, 0.3), Bred(1, GenerationPhases.Training, parent: "math-0"),
            Bred(2, GenerationPhases.Evaluating, parent: "math-0", step: "distill")).Status;
        var plan = Decide(MathLineage(maxGenerations: 3, status: before), Bred(0, GenerationPhases.Promoted, 0.3), failed,
            PromotedOver(2, 0.4, 0.3, "gate passed", step: "distill"));

        Assert.Null(plan.Breed);
        Assert.Empty(plan.BornTells);
        Assert.Equal(2, plan.Events.Count);
        Assert.Equal(new EventIntent(EventIntent.Warning, Reasons.GenerationFailed, "math-1 (grpo) Failed: score none, parent none — loss is NaN at step 12"), plan.Events[0]);
        var complete = plan.Events[1];
        Assert.Equal((EventIntent.Normal, Reasons.MaxGenerationsReached), (complete.Type, complete.Reason));
        Assert.Equal("Growing → Complete: bred 3 of maxGenerations 3; champion math-2 scores 0.4; math-2 (distill) Promoted: score 0.4, parent 0.3 — gate passed",
            complete.Message);
    }

    [Fact]
    public void A_failed_phase_tells_the_plain_rejection_that_caused_it_in_its_warning()
    {
        var plan = Decide(MathLineage(), Bred(0, GenerationPhases.Rejected, 0.01));
        var failed = Assert.Single(plan.Events);
        Assert.Equal((EventIntent.Warning, Reasons.BaseNotPromoted), (failed.Type, failed.Reason));
        Assert.EndsWith("there is no champion to breed from; math-0 (base) Rejected: score 0.01, parent none", failed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_normal_verdict_with_no_carrier_in_its_pass_is_still_an_event_of_its_own()
    {
        // A lineage already Suspended: the verdict changes neither its phase nor breeds anything, so nothing carries it.
        var before = Decide(MathLineage(suspend: true), Bred(0, GenerationPhases.Promoted, 0.3), Bred(1, GenerationPhases.Evaluating, parent: "math-0")).Status
            with { Phase = LineagePhases.Suspended };
        var plan = Decide(MathLineage(suspend: true, status: before), Bred(0, GenerationPhases.Promoted, 0.3), PromotedOver(1, 0.36, 0.3, "gate passed"));

        Assert.Equal(LineagePhases.Suspended, plan.Status.Phase);
        Assert.Null(plan.BornEvent);
        var own = Assert.Single(plan.Events);
        Assert.Equal(new EventIntent(EventIntent.Normal, Reasons.GenerationPromoted, "math-1 (grpo) Promoted: score 0.36, parent 0.3 — gate passed"), own);
    }

    [Fact]
    public void A_verdict_that_would_take_the_carrier_past_the_event_message_limit_is_an_event_of_its_own()
    {
        var gate = "score 0.36 ≥ minScore 0.1 " + new string('x', Lineage.Operator.Runtime.EventRecorder.MaxMessageBytes);
        var plan = Decide(MathLineage(), Bred(0, GenerationPhases.Promoted, 0.3), PromotedOver(1, 0.36, 0.3, gate));

        Assert.Equal("math-2", plan.Breed?.Metadata.Name);
        // math-0's short promotion fits in the Born Event; math-1's would not, so it keeps its own whole message.
        Assert.Equal(["math-0"], plan.BornTells.Select(e => e.Message.Split(' ')[0]));
        var own = Assert.Single(plan.Events);
        Assert.Equal(Reasons.GenerationPromoted, own.Reason);
        Assert.EndsWith(gate, own.Message, StringComparison.Ordinal);
        Assert.True(System.Text.Encoding.UTF8.GetByteCount(plan.BornTelling!.Message) <= Lineage.Operator.Runtime.EventRecorder.MaxMessageBytes);
    }

    [Fact]
    public void A_three_generation_lineage_tells_every_verdict_exactly_once_in_four_events()
    {
        // The controller's passes: breed (its status then shows the child in flight), the child is judged, breed again...
        var lineage = MathLineage(maxGenerations: 3);
        var generations = new List<Generation>();
        var recorded = new List<EventIntent>();
        for (int pass = 0; pass < 4; pass++)
        {
            var plan = Decide(lineage, [.. generations]);
            if (plan.Breed is { } child)
            {
                child.Metadata.CreationTimestamp = Now;
                generations.Add(child);
                plan = plan with { Status = Decide(lineage, [.. generations]).Status };
                recorded.Add(plan.BornTelling!);
                recorded.AddRange(plan.Events);
            }
            else recorded.AddRange(plan.WithoutBirth);
            lineage = MathLineage(maxGenerations: 3, status: plan.Status);
            // The newborn is trained, evaluated and promoted before the next pass.
            if (generations.Count > 0 && generations[^1].Status is null)
                generations[^1] = PromotedOver(generations.Count - 1, 0.3 + 0.1 * generations.Count, 0.2 + 0.1 * generations.Count, "gate passed",
                    step: generations[^1].Metadata.Labels[WellKnown.StepLabel]);
        }

        Assert.Equal([Reasons.Born, Reasons.Born, Reasons.Born, Reasons.MaxGenerationsReached], recorded.Select(e => e.Reason));
        Assert.All(recorded, e => Assert.Equal(EventIntent.Normal, e.Type));
        var verdicts = recorded.SelectMany(e => e.Message.Split("; ")).Where(part => part.Contains(" Promoted: ", StringComparison.Ordinal));
        Assert.Equal(["math-0 (base)", "math-1 (grpo)", "math-2 (distill)"], verdicts.Select(v => v[..v.IndexOf(" Promoted", StringComparison.Ordinal)]));
        Assert.Equal(LineagePhases.Complete, lineage.Status?.Phase);
    }
}
