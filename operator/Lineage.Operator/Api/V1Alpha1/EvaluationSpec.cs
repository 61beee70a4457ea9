using Lineage.Contracts.Config;
using Lineage.Operator.Api.Schema;

namespace Lineage.Operator.Api.V1Alpha1;

/// <summary>How a trained generation is scored (lineage-trainer eval); the score feeds the promotion gate.</summary>
[CelRule("self.metric != 'judge' || has(self.judge)", "judge is required for metric judge")]
public sealed record EvaluationSpec
{
    static readonly EvalConfig Defaults = new();

    /// <summary>Held-out problems: a built-in task (use split test) or a JSONL dataset URI.</summary>
    [Required, CelRule("has(self.task) != has(self.path)", "set exactly one of task or path")]
    public DataConfig Dataset { get; init; } = Defaults.Data;
    /// <summary>Number of problems scored.</summary>
    [Range(1, 1_000_000)]
    public int Problems { get; init; } = 500;
    /// <summary>greedy (accuracy), majority (maj@k), passAtK (pass@k) or judge (mean judge score).</summary>
    [Enum(typeof(EvalConfig), nameof(EvalConfig.Metrics))]
    public string Metric { get; init; } = Defaults.Metric;
    /// <summary>Samples per problem for majority and passAtK.</summary>
    [Range(1, 1024)]
    public int K { get; init; } = Defaults.K;
    /// <summary>Sampling for majority, passAtK and judge.</summary>
    public SamplingConfig Sampling { get; init; } = Defaults.Sampling;
    /// <summary>The judge for metric judge (model URI and principles).</summary>
    public RewardSpec? Judge { get; init; }
}
