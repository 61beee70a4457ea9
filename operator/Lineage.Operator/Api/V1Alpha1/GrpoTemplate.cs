using Lineage.Contracts.Config;
using Lineage.Operator.Api.Schema;

namespace Lineage.Operator.Api.V1Alpha1;

/// <summary>
/// A GRPO run without its model and output: what a Generation's <c>training.grpo</c> holds. The settings
/// mirror the trainer's GrpoConfig and take its defaults.
/// </summary>
[CelRule("self.checkpointEvery <= self.steps", "checkpointEvery must not exceed steps")]
public record GrpoTemplate : RunControl
{
    static readonly GrpoConfig Defaults = new();

    /// <summary>Training problems: a built-in task or a JSONL dataset URI.</summary>
    [CelRule("has(self.task) != has(self.path)", "set exactly one of task or path")]
    public DataConfig Dataset { get; init; } = Defaults.Data;
    /// <summary>Held-out problems evaluated during training (evalEvery).</summary>
    public DataConfig? Eval { get; init; }
    /// <summary>Weighted reward terms: rule rewards, a reward model (model URI) or a judge (model and principles).</summary>
    [Length(1, 16)]
    public IReadOnlyList<RewardSpec> Rewards { get; init; } = Defaults.Rewards;
    /// <summary>
    /// Qualify the judge term before training with it: best-of-N by the judge vs a random sample on held-out problems; a
    /// judge that does not beat random is dropped for the verifiable reward. A Lineage sets it (defaults) for every
    /// <c>judge</c> term whose model is <c>champion</c>; set <c>enabled: false</c> to skip it.
    /// </summary>
    public JudgeCheckConfig? JudgeCheck { get; init; } = Defaults.JudgeCheck;
    /// <summary>G, completions per prompt.</summary>
    [Range(2, 1024)]
    public int NumGenerations { get; init; } = Defaults.NumGenerations;
    /// <summary>Prompts per step (a batch is prompts × G completions).</summary>
    [Range(1, 4096)]
    public int PromptsPerStep { get; init; } = Defaults.PromptsPerStep;
    /// <summary>Lower clip range ε of the surrogate.</summary>
    [Range(0, 1)]
    public double Epsilon { get; init; } = Defaults.Epsilon;
    /// <summary>Upper clip range (DAPO clip-higher).</summary>
    [Range(0, 10)]
    public double EpsilonHigh { get; init; } = Defaults.EpsilonHigh;
    /// <summary>KL coefficient β against the reference; 0 loads no reference model.</summary>
    [Range(0, 10)]
    public double Beta { get; init; } = Defaults.Beta;
    /// <summary>Advantage scaling: group, batch or none (Dr. GRPO).</summary>
    [Enum(typeof(GrpoConfig), nameof(GrpoConfig.ScaleRewardsModes))]
    public string ScaleRewards { get; init; } = Defaults.ScaleRewards;
    /// <summary>Loss aggregation: grpo, bnpo, dapo or dr_grpo.</summary>
    [Enum(typeof(GrpoConfig), nameof(GrpoConfig.LossTypes))]
    public string LossType { get; init; } = Defaults.LossType;
    /// <summary>μ, optimisation passes over each batch of rollouts.</summary>
    [Range(1, 64)]
    public int NumIterations { get; init; } = Defaults.NumIterations;
    /// <summary>Exclude completions that hit maxNewTokens from the loss.</summary>
    public bool MaskTruncated { get; init; } = Defaults.MaskTruncated;
    /// <summary>Skip groups whose rewards are all equal (no learning signal).</summary>
    public bool DynamicSampling { get; init; } = Defaults.DynamicSampling;
    /// <summary>Optimizer steps.</summary>
    [Range(1, 10_000_000)]
    public int Steps { get; init; } = Defaults.Steps;
    /// <summary>Optimizer settings (AdamW, schedule, clipping).</summary>
    public OptimConfig Optim { get; init; } = Defaults.Optim;
    /// <summary>Rollout sampling.</summary>
    public SamplingConfig Sampling { get; init; } = Defaults.Sampling;
    /// <summary>Steps between checkpoints; a restarted pod resumes from the latest.</summary>
    [Range(0, 10_000_000)]
    public int CheckpointEvery { get; init; } = Defaults.CheckpointEvery;
    /// <summary>Training checkpoints kept.</summary>
    [Range(1, 100)]
    public int KeepCheckpoints { get; init; } = Defaults.KeepCheckpoints;
    /// <summary>Steps between in-run evaluations; 0 = off.</summary>
    [Range(0)]
    public int EvalEvery { get; init; } = Defaults.EvalEvery;
    /// <summary>Problems per in-run evaluation.</summary>
    [Range(1)]
    public int EvalProblems { get; init; } = Defaults.EvalProblems;
    /// <summary>Seed of data order and sampling.</summary>
    public long Seed { get; init; } = Defaults.Seed;
}
