using Lineage.Contracts.Config;
using Lineage.Operator.Api.Schema;

namespace Lineage.Operator.Api.V1Alpha1;

/// <summary>
/// A distillation without its teacher and output: the teacher spends test-time compute, traces pass a
/// filter, the student is fine-tuned on them. With <c>demonstrations</c> the traces are a dataset's worked
/// solutions instead (plain SFT: how generation 0 is made from nothing). Settings mirror the trainer's DistillConfig.
/// </summary>
[CelRule("self.strategy != 'bestOfN' || has(self.ranker)", "ranker is required for strategy bestOfN")]
[CelRule("self.filter != 'judgeScore' || (has(self.ranker) && self.ranker.name == 'judge')", "filter judgeScore needs a judge ranker")]
[CelRule("self.filter != 'consistency' || self.samples > 1", "filter consistency needs samples > 1")]
public record DistillationTemplate : RunControl
{
    static readonly DistillConfig Defaults = new();

    /// <summary>Worked solutions to train on instead of a teacher's traces (plain SFT): a built-in task or a JSONL dataset URI with reasoning.</summary>
    [CelRule("has(self.task) != has(self.path)", "set exactly one of task or path")]
    public DataConfig? Demonstrations { get; init; }
    /// <summary>Shape of a fresh student, when demonstrations train a generation that has no input model.</summary>
    public ModelInit? Init { get; init; }
    /// <summary>Test-time strategy of the teacher: greedy, selfConsistency, bestOfN or selfRefine.</summary>
    [Enum(typeof(TestTimeConfig), nameof(TestTimeConfig.Strategies))]
    public string Strategy { get; init; } = Defaults.TestTime.Strategy;
    /// <summary>Samples per prompt (N) for selfConsistency and bestOfN.</summary>
    [Range(1, 1024)]
    public int Samples { get; init; } = Defaults.TestTime.Samples;
    /// <summary>selfRefine: critique-and-revise rounds (K).</summary>
    [Range(1, 16)]
    public int Rounds { get; init; } = Defaults.TestTime.Rounds;
    /// <summary>Teacher sampling (temperature, budget).</summary>
    public SamplingConfig Sampling { get; init; } = Defaults.TestTime.Sampling;
    /// <summary>bestOfN: the reward that ranks candidates (a rule, reward model or judge).</summary>
    public RewardSpec? Ranker { get; init; }
    /// <summary>Prompts the teacher answers: a built-in task or a JSONL dataset URI.</summary>
    [CelRule("has(self.task) != has(self.path)", "set exactly one of task or path")]
    public DataConfig Prompts { get; init; } = Defaults.Prompts;
    /// <summary>Trace filter: verified (answer checked), judgeScore (≥ minJudgeScore), consistency (majority share ≥ threshold) or none.</summary>
    [Enum(typeof(DistillConfig), nameof(DistillConfig.Filters))]
    public string Filter { get; init; } = Defaults.Filter;
    /// <summary>judgeScore filter: the lowest judge score (0–1) a kept trace has.</summary>
    [Range(0, 1)]
    public double MinJudgeScore { get; init; } = Defaults.MinJudgeScore;
    /// <summary>consistency filter: the lowest majority share a kept prompt has.</summary>
    [Range(0, 1)]
    public double ConsistencyThreshold { get; init; } = Defaults.ConsistencyThreshold;
    /// <summary>Kept traces per prompt at most.</summary>
    [Range(1, 1024)]
    public int MaxTracesPerPrompt { get; init; } = Defaults.MaxTracesPerPrompt;
    /// <summary>Held-out problems for the teacher's and student's accuracy (internalisation); default the prompts' task, test split.</summary>
    public DataConfig? Eval { get; init; }
    /// <summary>Held-out problems scored for the internalisation figure (0 = none).</summary>
    [Range(0, 1_000_000)]
    public int EvalProblems { get; init; } = Defaults.EvalProblems;
    /// <summary>Student initialisation as a model URI; default the teacher itself.</summary>
    [Pattern(Patterns.ModelUri)]
    public string? Student { get; init; }
    /// <summary>SFT steps on the kept traces.</summary>
    [Range(1, 10_000_000)]
    public int SftSteps { get; init; } = Defaults.SftSteps;
    /// <summary>SFT sequences per batch.</summary>
    [Range(1, 4096)]
    public int BatchSize { get; init; } = Defaults.BatchSize;
    /// <summary>Longest SFT sequence (prompt + trace) in tokens.</summary>
    [Range(8, 131072)]
    public int MaxSeqLen { get; init; } = Defaults.MaxSeqLen;
    /// <summary>SFT optimizer settings.</summary>
    public OptimConfig Optim { get; init; } = Defaults.Optim;
    /// <summary>Checkpoint every this many SFT steps (0 = only at the end).</summary>
    [Range(0, 10_000_000)]
    public int CheckpointEvery { get; init; } = Defaults.CheckpointEvery;
    /// <summary>Training checkpoints kept.</summary>
    [Range(1, 1000)]
    public int KeepCheckpoints { get; init; } = Defaults.KeepCheckpoints;
    /// <summary>Seed of sampling and data order.</summary>
    public long Seed { get; init; } = Defaults.Seed;
}
