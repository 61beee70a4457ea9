using Lineage.Contracts.Config;
using Lineage.Operator.Api.Schema;

namespace Lineage.Operator.Api.V1Alpha1;

/// <summary>
/// A distillation without its teacher and output: the teacher spends test-time compute, traces pass a
/// filter, the student is fine-tuned on them. Settings mirror the trainer's DistillConfig.
/// </summary>
[CelRule("self.strategy != 'bestOfN' || has(self.ranker)", "ranker is required for strategy bestOfN")]
[CelRule("self.filter != 'judgeScore' || (has(self.ranker) && self.ranker.name == 'judge')", "filter judgeScore needs a judge ranker")]
public record DistillationTemplate : RunControl
{
    static readonly DistillConfig Defaults = new();

    /// <summary>Test-time strategy of the teacher: selfConsistency, bestOfN or selfRefine.</summary>
    [Enum(typeof(DistillConfig), nameof(DistillConfig.Strategies))]
    public string Strategy { get; init; } = Defaults.Strategy;
    /// <summary>Samples per prompt (N).</summary>
    [Range(1, 1024)]
    public int N { get; init; } = Defaults.N;
    /// <summary>Teacher sampling (temperature, budget).</summary>
    public SamplingConfig Sampling { get; init; } = Defaults.Sampling;
    /// <summary>bestOfN: the reward that ranks candidates (a rule, reward model or judge).</summary>
    public RewardSpec? Ranker { get; init; }
    /// <summary>Prompts the teacher answers: a built-in task or a JSONL dataset URI.</summary>
    [CelRule("has(self.task) != has(self.path)", "set exactly one of task or path")]
    public DataConfig Prompts { get; init; } = Defaults.Prompts;
    /// <summary>Trace filter: verified (answer checked), judgeScore (≥ minJudgeScore) or consistency (majority share ≥ threshold).</summary>
    [Enum(typeof(DistillConfig), nameof(DistillConfig.Filters))]
    public string Filter { get; init; } = Defaults.Filter;
    /// <summary>judgeScore filter: the lowest judge score (0–1) a kept trace has.</summary>
    [Range(0, 1)]
    public double MinJudgeScore { get; init; } = Defaults.MinJudgeScore;
    /// <summary>consistency filter: the lowest majority share a kept prompt has.</summary>
    [Range(0, 1)]
    public double ConsistencyThreshold { get; init; } = Defaults.ConsistencyThreshold;
    /// <summary>Student initialisation as a model URI; default the teacher itself.</summary>
    [Pattern(Patterns.ModelUri)]
    public string? Student { get; init; }
    /// <summary>SFT steps on the kept traces.</summary>
    [Range(1, 10_000_000)]
    public int SftSteps { get; init; } = Defaults.SftSteps;
    /// <summary>SFT sequences per batch.</summary>
    [Range(1, 4096)]
    public int BatchSize { get; init; } = Defaults.BatchSize;
    /// <summary>SFT optimizer settings.</summary>
    public OptimConfig Optim { get; init; } = Defaults.Optim;
    /// <summary>Seed of sampling and data order.</summary>
    public long Seed { get; init; } = Defaults.Seed;
}
