using Lineage.Contracts.Config;
using Lineage.Operator.Api.V1Alpha1;

namespace Lineage.Operator.Rendering;

/// <summary>
/// The trainer's own config records, filled from a spec and the resolved models, and validated with the
/// trainer's rules: a spec the trainer would refuse fails here, with the field named, before any pod starts.
/// </summary>
public static class TrainerConfigs
{
    /// <summary>The trainer's GRPO config for a run: <paramref name="policy"/> is the model URI it starts from.</summary>
    /// <param name="spec">The run's spec.</param>
    /// <param name="policy">The policy model's URI.</param>
    /// <param name="source">Where the spec sits in the object the user wrote, for the error message.</param>
    public static GrpoConfig Grpo(GrpoRun.GrpoRunSpec spec, string policy, string source = "spec") => Checked(new GrpoConfig
    {
        Policy = policy,
        Output = spec.Output,
        Data = spec.Dataset,
        Eval = spec.Eval,
        Rewards = [.. spec.Rewards],
        JudgeCheck = spec.JudgeCheck,
        NumGenerations = spec.NumGenerations,
        PromptsPerStep = spec.PromptsPerStep,
        Epsilon = spec.Epsilon,
        EpsilonHigh = spec.EpsilonHigh,
        Beta = spec.Beta,
        ScaleRewards = spec.ScaleRewards,
        LossType = spec.LossType,
        NumIterations = spec.NumIterations,
        MaskTruncated = spec.MaskTruncated,
        DynamicSampling = spec.DynamicSampling,
        Steps = spec.Steps,
        Optim = spec.Optim,
        Sampling = spec.Sampling,
        CheckpointEvery = spec.CheckpointEvery,
        KeepCheckpoints = spec.KeepCheckpoints,
        EvalEvery = spec.EvalEvery,
        EvalProblems = spec.EvalProblems,
        Seed = spec.Seed,
        Resume = true,
    }, source);

    /// <param name="spec">The Distillation's spec.</param>
    /// <param name="teacher">The resolved teacher model; "" for a distillation of demonstrations.</param>
    /// <param name="source">Where the spec sits in the object the user wrote, for the error message.</param>
    public static DistillConfig Distill(Distillation.DistillationSpec spec, string teacher, string source = "spec") => Checked(new DistillConfig
    {
        Teacher = spec.Demonstrations is null ? teacher : null,
        Demonstrations = spec.Demonstrations,
        Student = spec.Student,
        Init = spec.Init ?? new ModelInit(),
        Output = spec.Output,
        TestTime = new TestTimeConfig
        {
            Strategy = spec.Strategy,
            Samples = spec.Samples,
            Rounds = spec.Rounds,
            Ranker = spec.Ranker,
            Sampling = spec.Sampling,
        },
        Prompts = spec.Prompts,
        Filter = spec.Filter,
        MinJudgeScore = spec.MinJudgeScore,
        ConsistencyThreshold = spec.ConsistencyThreshold,
        MaxTracesPerPrompt = spec.MaxTracesPerPrompt,
        Eval = spec.Eval,
        EvalProblems = spec.EvalProblems,
        SftSteps = spec.SftSteps,
        BatchSize = spec.BatchSize,
        MaxSeqLen = spec.MaxSeqLen,
        Optim = spec.Optim,
        CheckpointEvery = spec.CheckpointEvery,
        KeepCheckpoints = spec.KeepCheckpoints,
        Seed = spec.Seed,
        Resume = true,
    }, source);

    /// <summary>Built-in tasks are always scored on their test split, whatever the dataset says.</summary>
    public static EvalConfig Eval(EvaluationSpec spec, string model, string output) => Checked(new EvalConfig
    {
        Model = model,
        Data = spec.Dataset with { Count = spec.Problems, Split = string.IsNullOrEmpty(spec.Dataset.Task) ? spec.Dataset.Split : "test" },
        Metric = spec.Metric,
        K = spec.K,
        Rounds = spec.Rounds,
        Sampling = spec.Sampling,
        Judge = spec.Judge,
        Ranker = spec.Ranker,
        Output = output,
    }, "spec.evaluation");

    static T Checked<T>(T config, string source) where T : IValidated
    {
        ConfigLoader.Check(config, source);
        return config;
    }
}
