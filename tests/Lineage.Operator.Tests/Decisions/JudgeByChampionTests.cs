using k8s.Models;
using Lineage.Contracts.Config;
using Lineage.Contracts.Store;
using Lineage.Operator.Api.V1Alpha1;
using Lineage.Operator.Controllers;
using Lineage.Operator.Decisions;
using Lineage.Operator.Rendering;
using static Lineage.Operator.Tests.Fixtures;

namespace Lineage.Operator.Tests.Decisions;

/// <summary><c>judge: champion</c> in a Lineage's plan, and the judge check mirrored from progress.json to the Lineage's history.</summary>
public sealed class JudgeByChampionTests
{
    const string ChampionUri = $"{StoreUri}/math/math-1/model";
    static readonly RewardSpec Accuracy = new() { Name = "accuracy" };
    static RewardSpec Judge(string model) => new() { Name = "judge", Model = model, Principles = ["the answer is correct"], Weight = 0.5 };

    static readonly Generation Champion = Promoted("math-1", 0.68, number: 1, parent: "math-0");

    public static TheoryData<string, TrainingSpec, Generation?, string?, bool?> Cases() => new()
    {
        // case, the step's training, the champion, the judge's model after breeding (null: no judge term), judgeCheck.enabled (null: none)
        { "champion is resolved and the check turned on", Step(Judge("champion")), Champion, ChampionUri, true },
        { "a check the step disabled stays disabled", Step(Judge("champion"), new JudgeCheckConfig { Enabled = false }), Champion, ChampionUri, false },
        { "a judge naming a model is left alone, unchecked", Step(Judge("s3://models/judge2")), Champion, "s3://models/judge2", null },
        { "rule rewards only: nothing to resolve", Step(null), Champion, null, null },
        { "no champion model yet: left as written", Step(Judge("champion")), null, "champion", null },
    };

    static TrainingSpec Step(RewardSpec? judge, JudgeCheckConfig? check = null) => new()
    {
        Grpo = new GrpoTemplate { Rewards = judge is null ? [Accuracy] : [Accuracy, judge], JudgeCheck = check },
    };

    [Theory, MemberData(nameof(Cases))]
    public void A_champion_judge_term_gets_the_champions_model_and_a_judge_check(string name, TrainingSpec training, Generation? champion,
        string? judgeModel, bool? checkEnabled)
    {
        var bred = LineageDecision.JudgedByChampion(training, champion).Grpo!;
        Assert.True(judgeModel == bred.Rewards.FirstOrDefault(r => r.Name == "judge")?.Model, name);
        Assert.True(checkEnabled == bred.JudgeCheck?.Enabled, name);
        Assert.Equal(training.Grpo!.Rewards.Select(r => (r.Name, r.Weight, r.Principles.Count)), bred.Rewards.Select(r => (r.Name, r.Weight, r.Principles.Count)));
    }

    [Fact]
    public void A_distillation_step_is_bred_unchanged() =>
        Assert.Same(Distill, LineageDecision.JudgedByChampion(Distill, Champion));

    [Fact]
    public void The_lineage_breeds_a_grpo_step_judged_by_its_current_champion()
    {
        var lineage = new LineageResource
        {
            Metadata = new V1ObjectMeta { Name = "math", NamespaceProperty = Ns, Uid = "uid-math", Generation = 1 },
            Spec = new LineageResource.LineageSpec
            {
                Base = new LineageBase { Uri = "s3://models/base" },
                Template = new GenerationTemplate { Storage = new StorageSpec { Uri = StoreUri } },
                Plan = [new PlanStep { Name = "grpo", Grpo = Step(Judge("champion")).Grpo }],
            },
        };
        var gen0 = Promoted("math-0", 0.5);
        gen0.Metadata.Annotations = new Dictionary<string, string> { [WellKnown.BirthAnnotation] = "0" };
        var plan = LineageDecision.Decide(new(lineage, [gen0], Now));

        var rewards = plan.Breed!.Spec.Training!.Grpo!.Rewards;
        Assert.Equal($"{StoreUri}/math/math-0/model", Assert.Single(rewards, r => r.Name == "judge").Model);
        Assert.True(plan.Breed.Spec.Training.Grpo.JudgeCheck?.Enabled);
        Assert.Equal("champion", lineage.Spec.Plan[0].Grpo!.Rewards[1].Model); // the plan itself is not changed
    }

    [Fact]
    public void A_generation_outside_a_lineage_that_names_the_champion_fails_validation_naming_the_field()
    {
        var g = Generation("gen-2", parent: "gen-1", training: Step(Judge("champion")));
        var run = RunTemplates.GrpoRunFor(g, g.Spec.Training!.Grpo!, $"{StoreUri}/math/gen-1/model");
        var e = Assert.Throws<ConfigError>(() => TrainerConfigs.Grpo(run.Spec, $"{StoreUri}/math/gen-1/model"));
        Assert.Contains("rewards[1].model: 'champion' names a Lineage's current champion", e.Message);
    }

    static readonly JudgeCheckResult Refused = new()
    {
        PickAccuracy = 0.62, RandomAccuracy = 0.66, OracleAccuracy = 0.9, Problems = 64, Samples = 8, Used = false,
        Reason = JudgeCheckResult.NotBetterThanRandom, Trained = true, PickAccuracyBeforeTraining = 0.55,
        Message = "the judge's pick of 8 is right on 62.0 % …: the judge is not better than random and is not used; training on accuracy",
    };

    [Fact]
    public void The_judge_check_goes_from_progress_json_to_the_grpo_run_the_generation_and_the_lineage_history()
    {
        // GrpoRun status: from progress.json, and kept when a later read has no judge.
        var run = new GrpoRun();
        GrpoRunKind.Instance.SetStatus(run, new RunStatus { Phase = RunPhases.Running }, new Progress { Kind = "grpo", Judge = Refused });
        GrpoRunKind.Instance.SetStatus(run, new RunStatus { Phase = RunPhases.Succeeded, Output = $"{StoreUri}/math/math-2/model" }, null);
        Assert.Equal(Refused, run.Status!.Judge);
        var summary = TrainingRunSummary.Of(GrpoRun.KindName, "math-2", run.Status, [Accuracy, Judge(ChampionUri)]);

        // Generation: status.judge and the JudgeQualified condition, with a Warning Event when it was refused.
        var g = Generation("math-2", parent: "math-1", training: Step(Judge(ChampionUri)), phase: GenerationPhases.Training);
        var plan = GenerationDecision.Decide(new(g, [Champion], SecretState.Found, summary, null, null, null, null, "feed", Now));
        Assert.Equal(Refused, plan.Status.Judge);
        var qualified = Assert.Single(plan.Status.Conditions, c => c.Type == ConditionTypes.JudgeQualified);
        Assert.Equal(("False", Reasons.JudgeNotBetterThanRandom), (qualified.Status, qualified.Reason));
        Assert.Contains("not better than random", qualified.Message);
        Assert.Contains(plan.Events, e => e is { Type: EventIntent.Warning, Reason: Reasons.JudgeNotBetterThanRandom });

        // Lineage history: the pick accuracies and whether the judge was used.
        g.Status = plan.Status;
        g.Metadata.Labels = new Dictionary<string, string> { [WellKnown.StepLabel] = "grpo" };
        g.Metadata.Annotations = new Dictionary<string, string> { [WellKnown.BirthAnnotation] = "2" };
        var lineage = new LineageResource
        {
            Metadata = new V1ObjectMeta { Name = "math", NamespaceProperty = Ns, Generation = 1 },
            Spec = new LineageResource.LineageSpec { Plan = [new PlanStep { Name = "grpo", Grpo = new GrpoTemplate() }], MaxGenerations = 5 },
        };
        var entry = Assert.Single(LineageDecision.Decide(new(lineage, [g], Now)).Status.History);
        Assert.Equal((0.62, 0.66, 0.55, false), (entry.JudgePickAccuracy, entry.RandomPickAccuracy, entry.JudgePickAccuracyBeforeTraining, entry.JudgeUsed));
    }
}
