using Lineage.Contracts.Config;
using Lineage.Contracts.Store;
using Lineage.Operator.Api.V1Alpha1;
using Lineage.Operator.Decisions;
using k8s.Models;
using static Lineage.Operator.Tests.Fixtures;

namespace Lineage.Operator.Tests.Decisions;

public sealed class GenerationDecisionTests
{
    /// <summary>
    /// An observation; a result made by <see cref="Fixtures.Result"/> (model "m") is taken as the evaluation of the model
    /// the decision evaluates, the one it records in status.checkpoint (a result for another model is tested on its own).
    /// </summary>
    static GenerationObservation Observe(Generation g, IReadOnlyList<Generation>? ancestors = null, SecretState secret = SecretState.Found,
        TrainingRunSummary? training = null, V1Job? eval = null, EvalResult? result = null, string? termination = null, string? sha = "feed")
    {
        var observation = new GenerationObservation(g, ancestors ?? [], secret, training, null, eval, termination, null, sha, Now);
        if (result is { Model: "m" } && GenerationDecision.Decide(observation).Status.Checkpoint?.Uri is { } evaluated)
            result = result with { Model = evaluated };
        return observation with { EvalResult = result };
    }

    static Condition Cond(GenerationPlan plan, string type) => Assert.Single(plan.Status.Conditions, c => c.Type == type);

    [Fact]
    public void Base_generation_without_training_is_evaluated_on_the_base_model()
    {
        var plan = GenerationDecision.Decide(Observe(Generation("gen-0", baseUri: "s3://models/base/qwen")));
        Assert.Equal(GenerationPhases.Evaluating, plan.Status.Phase);
        Assert.Equal(0, plan.Status.GenerationNumber);
        Assert.Equal("s3://models/base/qwen", plan.EvaluateModel);
        Assert.Equal("s3://models/base/qwen", plan.Status.Checkpoint?.Uri);
        Assert.Equal("gen-0-eval", plan.Status.EvaluationJob);
        Assert.Equal(Reasons.BaseModel, Cond(plan, ConditionTypes.ParentReady).Reason);
        Assert.Equal(Reasons.NoTraining, Cond(plan, ConditionTypes.Trained).Reason);
        Assert.Null(plan.GrpoRun);
        Assert.Null(plan.RequeueAfter); // the evaluation Job's watch events wake it
    }

    [Theory]
    [InlineData("s3://models/base/other")]
    [InlineData("")]
    public void A_result_for_another_model_fails_the_generation_naming_both_models(string evaluated)
    {
        var g = Generation("gen-0", baseUri: "s3://models/base/qwen");
        var plan = GenerationDecision.Decide(Observe(g, eval: Job("gen-0-eval", condition: "Complete"), result: Result(0.9) with { Model = evaluated }));
        Assert.Equal(GenerationPhases.Failed, plan.Status.Phase);
        Assert.Null(plan.Status.Score);
        var failed = Cond(plan, ConditionTypes.Failed);
        Assert.Equal(Reasons.EvaluationModelMismatch, failed.Reason);
        Assert.Contains("s3://models/base/qwen", failed.Message);
        Assert.Contains(evaluated.Length == 0 ? "no named model" : evaluated, failed.Message);
        Assert.Equal(Reasons.EvaluationModelMismatch, Cond(plan, ConditionTypes.Evaluated).Reason);
    }

    [Fact]
    public void A_result_for_its_own_model_is_a_verdict()
    {
        var g = Generation("gen-0", baseUri: "s3://models/base/qwen");
        var plan = GenerationDecision.Decide(Observe(g, eval: Job("gen-0-eval", condition: "Complete"), result: Result(0.9) with { Model = "s3://models/base/qwen" }));
        Assert.Equal(GenerationPhases.Promoted, plan.Status.Phase);
        Assert.Equal(0.9, plan.Status.Score);
    }

    [Fact]
    public void Generation_zero_from_scratch_distils_demonstrations_into_a_fresh_student()
    {
        var demonstrations = new TrainingSpec { Distillation = new DistillationTemplate { Demonstrations = new() { Task = "multiplication", Digits = 2 }, SftSteps = 600 } };
        var g = Generation("gen-0", training: demonstrations);
        g.Spec = g.Spec with { Base = null };
        var plan = GenerationDecision.Decide(Observe(g));
        Assert.Equal(GenerationPhases.Training, plan.Status.Phase);
        Assert.Equal(0, plan.Status.GenerationNumber);
        Assert.Equal(Reasons.FromScratch, Cond(plan, ConditionTypes.ParentReady).Reason);
        var run = Assert.IsType<Distillation>(plan.Distillation);
        Assert.Null(run.Spec.Teacher);
        Assert.Null(run.Spec.Student);
        Assert.Equal("multiplication", run.Spec.Demonstrations?.Task);
        Assert.Equal($"{StoreUri}/math/gen-0/model", run.Spec.Output);
    }

    [Fact]
    public void Demonstrations_on_a_base_model_fine_tune_the_base()
    {
        var demonstrations = new TrainingSpec { Distillation = new DistillationTemplate { Demonstrations = new() { Task = "addition" } } };
        var plan = GenerationDecision.Decide(Observe(Generation("gen-0", baseUri: "s3://models/base/qwen", training: demonstrations)));
        var run = Assert.IsType<Distillation>(plan.Distillation);
        Assert.Null(run.Spec.Teacher);
        Assert.Equal("s3://models/base/qwen", run.Spec.Student);
    }

    public static TheoryData<string, string, bool> ParentProblems => new()
    {
        { "missing", Reasons.ParentNotFound, true },
        { "training", Reasons.ParentNotPromoted, false },
        { "rejected", Reasons.ParentNotPromoted, false },
        { "other-lineage", Reasons.ParentInOtherLineage, true },
        { "cycle", Reasons.ParentCycle, true },
    };

    [Theory, MemberData(nameof(ParentProblems))]
    public void Waits_with_a_condition_when_the_parent_cannot_be_used(string situation, string reason, bool warning)
    {
        var child = Generation("gen-2", parent: "gen-1", training: Grpo);
        IReadOnlyList<Generation> ancestors = situation switch
        {
            "missing" => [],
            "training" => [Generation("gen-1", parent: "gen-0", phase: GenerationPhases.Training)],
            "rejected" => [Generation("gen-1", parent: "gen-0", phase: GenerationPhases.Rejected)],
            "other-lineage" => [Promoted("gen-1", 0.5, lineage: "code")],
            _ => [Generation("gen-1", parent: "gen-x", phase: GenerationPhases.Pending), Generation("gen-x", parent: "gen-2", phase: GenerationPhases.Pending), child],
        };
        var plan = GenerationDecision.Decide(Observe(child, ancestors));

        Assert.Equal(GenerationPhases.Pending, plan.Status.Phase);
        var condition = Cond(plan, ConditionTypes.ParentReady);
        Assert.Equal(("False", reason), (condition.Status, condition.Reason));
        Assert.Contains("gen-1", condition.Message);
        Assert.Null(plan.GrpoRun);
        Assert.Null(plan.EvaluateModel);
        Assert.Null(plan.RequeueAfter); // no poll: the parent's own change wakes its children
        Assert.Equal(warning, plan.Events.Any(e => e.Type == EventIntent.Warning && e.Reason == reason));
    }

    [Fact]
    public void A_cycle_names_the_loop()
    {
        var child = Generation("gen-2", parent: "gen-1");
        var plan = GenerationDecision.Decide(Observe(child, [Generation("gen-1", parent: "gen-2", phase: GenerationPhases.Pending), child]));
        Assert.Equal("the parent chain loops: gen-2 → gen-1 → gen-2", Cond(plan, ConditionTypes.ParentReady).Message);
    }

    [Fact]
    public void Creates_the_grpo_run_from_the_template_with_the_parents_checkpoint_as_policy()
    {
        var plan = GenerationDecision.Decide(Observe(Generation("gen-2", parent: "gen-1", training: Grpo), [Promoted("gen-1", 0.5, number: 1)]));

        Assert.Equal(GenerationPhases.Training, plan.Status.Phase);
        Assert.Equal(2, plan.Status.GenerationNumber);
        Assert.Equal(0.5, plan.Status.ParentScore);
        var run = Assert.IsType<GrpoRun>(plan.GrpoRun);
        Assert.Equal(("gen-2", Ns), (run.Metadata.Name, run.Metadata.NamespaceProperty));
        Assert.Equal($"{StoreUri}/math/gen-1/model", run.Spec.Policy.Uri);
        Assert.Equal($"{StoreUri}/math/gen-2/model", run.Spec.Output);
        Assert.Equal(120, run.Spec.Steps);
        Assert.Equal("s3-creds", run.Spec.Storage.SecretName);
        var owner = Assert.Single(run.Metadata.OwnerReferences);
        Assert.Equal(("Generation", "gen-2", "uid-gen-2", true), (owner.Kind, owner.Name, owner.Uid, owner.Controller ?? false));
        Assert.Equal("math", run.Metadata.Labels[WellKnown.LineageLabel]);
        Assert.Equal(new TrainingRef { Kind = "GrpoRun", Name = "gen-2" }, plan.Status.TrainingRef);
        Assert.Null(plan.EvaluateModel);
    }

    [Fact]
    public void Creates_a_distillation_with_the_parent_as_teacher()
    {
        var plan = GenerationDecision.Decide(Observe(Generation("gen-3", parent: "gen-2", training: Distill), [Promoted("gen-2", 0.6, number: 2)]));
        var run = Assert.IsType<Distillation>(plan.Distillation);
        Assert.Equal($"{StoreUri}/math/gen-2/model", run.Spec.Teacher?.Uri);
        Assert.Equal(16, run.Spec.Samples);
        Assert.Null(plan.GrpoRun);
    }

    [Fact]
    public void A_failed_training_run_fails_the_generation_with_its_message()
    {
        var training = new TrainingRunSummary("GrpoRun", "gen-2", RunPhases.Failed, "Job gen-2-train failed (BackoffLimitExceeded: ...); trainer said: CUDA out of memory", null);
        var plan = GenerationDecision.Decide(Observe(Generation("gen-2", parent: "gen-1", training: Grpo, phase: GenerationPhases.Training), [Promoted("gen-1", 0.5)], training: training));

        Assert.Equal(GenerationPhases.Failed, plan.Status.Phase);
        var failed = Cond(plan, ConditionTypes.Failed);
        Assert.Equal(Reasons.TrainingFailed, failed.Reason);
        Assert.Contains("CUDA out of memory", failed.Message);
        Assert.Contains(plan.Events, e => e is { Type: EventIntent.Warning, Reason: GenerationPhases.Failed });
        Assert.Null(plan.RequeueAfter);
    }

    [Fact]
    public void A_succeeded_training_run_starts_the_evaluation_of_its_output()
    {
        var training = new TrainingRunSummary("GrpoRun", "gen-2", RunPhases.Succeeded, null, $"{StoreUri}/math/gen-2/model");
        var plan = GenerationDecision.Decide(Observe(Generation("gen-2", parent: "gen-1", training: Grpo, phase: GenerationPhases.Training), [Promoted("gen-1", 0.5)], training: training));

        Assert.Equal(GenerationPhases.Evaluating, plan.Status.Phase);
        Assert.Equal($"{StoreUri}/math/gen-2/model", plan.EvaluateModel);
        Assert.Equal(new CheckpointRef { Uri = $"{StoreUri}/math/gen-2/model", Sha256 = "feed" }, plan.Status.Checkpoint);
        // The phase change is told by the conditions, not by an Event (StatusEvents.OfGeneration).
        Assert.Empty(plan.Events);
        var trained = plan.Status.Conditions.Single(c => c.Type == ConditionTypes.Trained);
        Assert.Equal(("True", Reasons.TrainingSucceeded), (trained.Status, trained.Reason));
        Assert.Contains("gen-2 succeeded", trained.Message);
        var evaluated = plan.Status.Conditions.Single(c => c.Type == ConditionTypes.Evaluated);
        Assert.Equal(("False", Reasons.EvaluationRunning), (evaluated.Status, evaluated.Reason));
        Assert.Contains($"evaluating {StoreUri}/math/gen-2/model", evaluated.Message);
    }

    [Fact]
    public void A_generation_records_its_verdict_and_warnings_as_events_but_not_its_intermediate_phases()
    {
        IReadOnlyList<EventIntent> events =
        [
            new(EventIntent.Normal, GenerationPhases.Training, "Pending → Training"),
            new(EventIntent.Normal, GenerationPhases.Evaluating, "Training → Evaluating"),
            new(EventIntent.Warning, Reasons.RewardHackingSuspected, "reward rose while accuracy fell"),
            new(EventIntent.Normal, GenerationPhases.Promoted, "Evaluating → Promoted"),
            new(EventIntent.Normal, GenerationPhases.Rejected, "Evaluating → Rejected"),
            new(EventIntent.Warning, GenerationPhases.Failed, "Training → Failed"),
        ];
        Assert.Equal(events.Skip(2), StatusEvents.OfGeneration(events));
    }

    public static TheoryData<double, double?, double, double, string, string, string> Gate => new()
    {
        // score, parent, minScore, margin → phase, reason, message fragment
        { 0.62, 0.50, 0.30, 0.05, GenerationPhases.Promoted, Reasons.GatePassed, "score 0.62 ≥ minScore 0.3 and ≥ parent score 0.5 + minImprovementOverParent 0.05 = 0.55" },
        { 0.55, 0.50, 0.30, 0.05, GenerationPhases.Promoted, Reasons.GatePassed, "= 0.55" },
        { 0.54, 0.50, 0.30, 0.05, GenerationPhases.Rejected, Reasons.NoImprovementOverParent, "score 0.54 is below parent score 0.5 + minImprovementOverParent 0.05 = 0.55" },
        { 0.25, 0.10, 0.30, 0.00, GenerationPhases.Rejected, Reasons.BelowMinScore, "score 0.25 is below minScore 0.3" },
        { 0.48, 0.50, 0.30, -0.05, GenerationPhases.Promoted, Reasons.GatePassed, "= 0.45" },
        { 0.31, null, 0.30, 0.05, GenerationPhases.Promoted, Reasons.GatePassed, "(no parent)" },
    };

    [Theory, MemberData(nameof(Gate))]
    public void The_gate_needs_min_score_and_the_improvement_over_the_parent(double score, double? parentScore, double minScore, double margin, string phase, string reason, string message)
    {
        var promotion = new PromotionSpec { MinScore = minScore, MinImprovementOverParent = margin };
        Generation g;
        IReadOnlyList<Generation> ancestors;
        if (parentScore is { } p) (g, ancestors) = (Generation("gen-2", parent: "gen-1", promotion: promotion, phase: GenerationPhases.Evaluating), [Promoted("gen-1", p)]);
        else (g, ancestors) = (Generation("gen-0", promotion: promotion, phase: GenerationPhases.Evaluating), []);

        var plan = GenerationDecision.Decide(Observe(g, ancestors, eval: Job($"{g.Metadata.Name}-eval", condition: "Complete"), result: Result(score)));

        Assert.Equal(phase, plan.Status.Phase);
        Assert.Equal(score, plan.Status.Score);
        var promoted = Cond(plan, ConditionTypes.Promoted);
        Assert.Equal(reason, promoted.Reason);
        Assert.Contains(message, promoted.Message);
        Assert.Equal(new Dictionary<string, string> { [WellKnown.LineageLabel] = "math" }, plan.Labels);
        Assert.Equal(phase == GenerationPhases.Promoted ? Now : null, plan.Status.PromotedAt);
        Assert.Contains(plan.Events, e => e.Reason == phase && e.Message.Contains(message));
    }

    public static TheoryData<double?, double?, double, double, string, string, string> RewardHacking => new()
    {
        // training reward first → last (null: not reported), held-out score (parent 0.14, minScore 0), margin → phase, reason, message fragment
        { 0.21, 0.78, 0.01, 0.00, GenerationPhases.Rejected, Reasons.RewardHackingSuspected,
            "training reward rose 0.21 → 0.78 (judge) while the held-out score fell 0.14 → 0.01, below the parent's: reward hacking suspected" },
        { 0.21, 0.78, 0.12, -0.05, GenerationPhases.Rejected, Reasons.RewardHackingSuspected, "fell 0.14 → 0.12" }, // a tolerated regression is still a fall
        { 0.21, 0.31, 0.10, 0.00, GenerationPhases.Rejected, Reasons.RewardHackingSuspected, "rose 0.21 → 0.31" }, // a rise of exactly MaterialRise
        { 0.21, 0.78, 0.30, 0.05, GenerationPhases.Promoted, Reasons.GatePassed, "score 0.3 ≥ minScore 0" },        // reward and score rose together
        { 0.21, 0.78, 0.14, -0.05, GenerationPhases.Promoted, Reasons.GatePassed, "= 0.09" },                      // held even is no fall
        { 0.21, 0.30, 0.01, 0.00, GenerationPhases.Rejected, Reasons.NoImprovementOverParent, "score 0.01 is below parent score 0.14" }, // flat reward
        { 0.78, 0.21, 0.01, 0.00, GenerationPhases.Rejected, Reasons.NoImprovementOverParent, "score 0.01 is below parent score 0.14" }, // falling reward
        { null, null, 0.01, 0.00, GenerationPhases.Rejected, Reasons.NoImprovementOverParent, "score 0.01 is below parent score 0.14" }, // an older trainer
    };

    [Theory, MemberData(nameof(RewardHacking))]
    public void A_training_reward_that_rose_while_the_held_out_score_fell_below_the_parents_is_rejected_as_reward_hacking(
        double? rewardFirst, double? rewardLast, double score, double margin, string phase, string reason, string message)
    {
        var judge = new TrainingSpec { Grpo = new GrpoTemplate { Rewards = [new RewardSpec { Name = "judge", Model = "s3://models/judge", Principles = ["the answer is correct"] }] } };
        var g = Generation("gen-2", parent: "gen-1", training: judge, promotion: new PromotionSpec { MinScore = 0, MinImprovementOverParent = margin }, phase: GenerationPhases.Evaluating);
        var metrics = new RunMetrics { RewardMean = rewardLast, RewardFirst = rewardFirst, RewardLast = rewardLast };
        var training = TrainingRunSummary.Of(GrpoRun.KindName, "gen-2", new RunStatus { Phase = RunPhases.Succeeded, Output = $"{StoreUri}/math/gen-2/model", Metrics = metrics },
            judge.Grpo!.Rewards);

        var plan = GenerationDecision.Decide(Observe(g, [Promoted("gen-1", 0.14)], training: training, eval: Job("gen-2-eval", condition: "Complete"), result: Result(score)));

        Assert.Equal(phase, plan.Status.Phase);
        var promoted = Cond(plan, ConditionTypes.Promoted);
        Assert.Equal(reason, promoted.Reason);
        Assert.Contains(message, promoted.Message);
        Assert.Contains(plan.Events, e => e.Reason == phase && e.Message.Contains(message));
        Assert.Equal(reason == Reasons.RewardHackingSuspected, plan.Events.Any(e => e is { Type: EventIntent.Warning, Reason: Reasons.RewardHackingSuspected }));
    }

    [Fact]
    public void A_distillation_reports_no_reward_trend_and_the_gate_judges_it_as_before()
    {
        var distilled = Generation("gen-3", parent: "gen-2", training: Distill, promotion: new PromotionSpec { MinScore = 0 }, phase: GenerationPhases.Evaluating);
        var metrics = new RunMetrics { RewardFirst = 0.1, RewardLast = 0.9 };
        var training = TrainingRunSummary.Of(Distillation.KindName, "gen-3", new Distillation.DistillationStatus { Phase = RunPhases.Succeeded, Metrics = metrics });
        Assert.Null(training.Reward);

        var plan = GenerationDecision.Decide(Observe(distilled, [Promoted("gen-2", 0.14)], training: training, eval: Job("gen-3-eval", condition: "Complete"), result: Result(0.01)));
        Assert.Equal(Reasons.NoImprovementOverParent, Cond(plan, ConditionTypes.Promoted).Reason);
    }

    [Fact]
    public void The_reward_trend_names_the_weighted_terms_of_the_run()
    {
        RewardSpec[] rewards = [new() { Name = "accuracy" }, new() { Name = "format", Weight = 0.2 }];
        var trend = RewardTrend.Of(new RunMetrics { RewardFirst = 0.249, RewardLast = 0.242 }, rewards);
        Assert.Equal(new RewardTrend(0.249, 0.242, "accuracy + 0.2·format"), trend);
        Assert.False(trend!.RoseMaterially);
        Assert.Null(RewardTrend.Of(new RunMetrics { RewardMean = 0.3 }, rewards)); // progress.json of an older trainer
    }

    [Fact]
    public void Manual_mode_waits_for_the_approval_annotation()
    {
        var promotion = new PromotionSpec { MinScore = 0.3, Mode = PromotionSpec.Manual };
        var g = Generation("gen-0", promotion: promotion, phase: GenerationPhases.Evaluating);
        var observation = Observe(g, eval: Job("gen-0-eval", condition: "Complete"), result: Result(0.7));

        var waiting = GenerationDecision.Decide(observation);
        Assert.Equal(GenerationPhases.Evaluating, waiting.Status.Phase);
        Assert.Equal(Reasons.AwaitingApproval, Cond(waiting, ConditionTypes.Promoted).Reason);
        Assert.Contains("lineage.dev/approved=true", Cond(waiting, ConditionTypes.Promoted).Message);

        g.Status = waiting.Status;
        g.Metadata.Annotations = new Dictionary<string, string> { [WellKnown.ApprovedAnnotation] = "true" };
        var approved = GenerationDecision.Decide(observation);
        Assert.Equal(GenerationPhases.Promoted, approved.Status.Phase);
        Assert.Equal(Reasons.Approved, Cond(approved, ConditionTypes.Promoted).Reason);
        Assert.Equal(waiting.Labels, approved.Labels);
    }

    [Fact]
    public void A_failed_evaluation_fails_with_the_pods_termination_message()
    {
        var g = Generation("gen-0", phase: GenerationPhases.Evaluating);
        var plan = GenerationDecision.Decide(Observe(g, eval: Job("gen-0-eval", condition: "Failed", reason: "BackoffLimitExceeded"), termination: "model directory not found"));
        Assert.Equal(GenerationPhases.Failed, plan.Status.Phase);
        Assert.Equal(Reasons.EvaluationFailed, Cond(plan, ConditionTypes.Failed).Reason);
        Assert.Contains("model directory not found", Cond(plan, ConditionTypes.Failed).Message);
    }

    [Fact]
    public void A_succeeded_evaluation_without_a_result_file_fails()
    {
        var plan = GenerationDecision.Decide(Observe(Generation("gen-0", phase: GenerationPhases.Evaluating), eval: Job("gen-0-eval", condition: "Complete")));
        Assert.Equal(GenerationPhases.Failed, plan.Status.Phase);
        Assert.Contains("math/gen-0/eval/result.json is missing", Cond(plan, ConditionTypes.Failed).Message);
    }

    [Theory]
    [InlineData(SecretState.Missing, Reasons.SecretNotFound)]
    [InlineData(SecretState.KeyMissing, Reasons.SecretKeyMissing)]
    public void A_missing_secret_is_a_condition_and_a_warning_not_a_crash(SecretState secret, string reason)
    {
        var plan = GenerationDecision.Decide(Observe(Generation("gen-0", training: Grpo), secret: secret));
        Assert.Equal(GenerationPhases.Pending, plan.Status.Phase);
        Assert.Equal(("False", reason), (Cond(plan, ConditionTypes.StorageReady).Status, Cond(plan, ConditionTypes.StorageReady).Reason));
        Assert.Contains("s3-creds", Cond(plan, ConditionTypes.StorageReady).Message);
        Assert.Contains(plan.Events, e => e.Type == EventIntent.Warning && e.Reason == reason);
        Assert.Null(plan.GrpoRun);
    }

    [Theory]
    [InlineData(SecretState.Missing)]
    [InlineData(SecretState.KeyMissing)]
    [InlineData(SecretState.Forbidden)]
    public void A_spec_that_can_never_run_fails_naming_its_field_without_waiting_for_its_secret(SecretState secret)
    {
        const string problem = "spec.resources.image: 'evil/trainer:1' is not an allowed trainer image (the operator's --allowed-images: ghcr.io/lineage/trainer)";
        var observed = Observe(Generation("gen-0", training: Grpo), secret: secret) with { ConfigProblem = problem };
        var plan = GenerationDecision.Decide(observed);
        Assert.Equal(GenerationPhases.Failed, plan.Status.Phase);
        Assert.Equal((Reasons.InvalidSpec, problem), (Cond(plan, ConditionTypes.Failed).Reason, Cond(plan, ConditionTypes.Failed).Message));
        Assert.DoesNotContain(plan.Status.Conditions, c => c.Type == ConditionTypes.StorageReady);
        Assert.Null(plan.RequeueAfter);
        Assert.Null(plan.GrpoRun);
    }

    [Theory]
    [InlineData(GenerationPhases.Promoted)]
    [InlineData(GenerationPhases.Rejected)]
    [InlineData(GenerationPhases.Failed)]
    public void Final_phases_stay_final_and_start_nothing(string phase)
    {
        var g = Generation("gen-0", training: Grpo, phase: phase);
        var plan = GenerationDecision.Decide(Observe(g));
        Assert.Same(g.Status, plan.Status);
        Assert.Null(plan.GrpoRun);
        Assert.Null(plan.EvaluateModel);
        Assert.Empty(plan.Events);
        Assert.Null(plan.RequeueAfter);
        Assert.Equal(new Dictionary<string, string> { [WellKnown.LineageLabel] = "math" }, plan.Labels);
    }

    [Fact]
    public void Promotion_is_the_status_phase_alone_and_plans_no_metadata_write()
    {
        var g = Generation("gen-0", phase: GenerationPhases.Evaluating);
        g.Metadata.Labels = new Dictionary<string, string> { [WellKnown.LineageLabel] = "math", ["team"] = "a" };

        var plan = GenerationDecision.Decide(Observe(g, eval: Job("gen-0-eval", condition: "Complete"), result: Result(0.9)));

        Assert.Equal(GenerationPhases.Promoted, plan.Status.Phase);
        // The controller writes metadata only when the planned labels differ from the object's (or the finalizer is missing).
        Assert.Equal(g.Metadata.Labels, plan.Labels);
    }

    [Fact]
    public void Deciding_again_on_the_same_observation_changes_nothing_and_records_no_event()
    {
        var g = Generation("gen-2", parent: "gen-1", training: Grpo);
        var ancestors = new[] { Promoted("gen-1", 0.5) };
        var first = GenerationDecision.Decide(Observe(g, ancestors));
        g.Status = first.Status;
        var second = GenerationDecision.Decide(new GenerationObservation(g, ancestors, SecretState.Found, null, null, null, null, null, null, Now.AddMinutes(5)));

        Assert.Equal(Json(first.Status), Json(second.Status));
        Assert.Empty(second.Events);
        Assert.Equal(GenerationPhases.Training, first.Status.Phase); // the phase changed (told by conditions, no Event)

        // A Warning, recorded once.
        var orphan = Generation("gen-3", parent: "gone", training: Grpo);
        var warned = GenerationDecision.Decide(Observe(orphan));
        Assert.Contains(warned.Events, e => e is { Type: EventIntent.Warning, Reason: Reasons.ParentNotFound });
        orphan.Status = warned.Status;
        Assert.Empty(GenerationDecision.Decide(Observe(orphan)).Events);
    }

    [Fact]
    public void Conditions_record_the_observed_generation()
    {
        var g = Generation("gen-0");
        g.Metadata.Generation = 7;
        var plan = GenerationDecision.Decide(Observe(g));
        Assert.Equal(7, plan.Status.ObservedGeneration);
        Assert.All(plan.Status.Conditions, c => Assert.Equal(7, c.ObservedGeneration));
    }

    static string Json(object o) => k8s.KubernetesJson.Serialize(o);
}
