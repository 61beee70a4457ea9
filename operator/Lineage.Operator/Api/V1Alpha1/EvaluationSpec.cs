using Lineage.Contracts.Config;
using Lineage.Operator.Api.Schema;

namespace Lineage.Operator.Api.V1Alpha1;

/// <summary>How a trained generation is scored (lineage-trainer eval); the score feeds the promotion gate.</summary>
[CelRule("self.metric != 'judge' || has(self.judge)", "judge is required for metric judge")]
[CelRule("self.metric != 'bestOfN' || has(self.ranker)", "ranker is required for metric bestOfN")]
public sealed record EvaluationSpec
{
    static readonly EvalConfig Defaults = new();

    /// <summary>Held-out problems: a built-in task (use split test) or a JSONL dataset URI.</summary>
    [Required, CelRule("has(self.task) != has(self.path)", "set exactly one of task or path")]
    public DataConfig Dataset { get; init; } = Defaults.Data;
    /// <summary>Number of problems scored.</summary>
    [Range(1, 1_000_000)]
    public int Problems { get; init; } = 500;
    /// <summary>greedy (accuracy), majority (maj@k, self-consistency), passAtK (pass@k), judge (mean judge score), bestOfN
    /// (accuracy of the ranker's pick of k samples) or selfRefine (accuracy after rounds of self-critique and revision).</summary>
    [Enum(typeof(EvalConfig), nameof(EvalConfig.Metrics))]
    public string Metric { get; init; } = Defaults.Metric;
    /// <summary>Samples per problem for majority, passAtK and bestOfN.</summary>
    [Range(1, 1024)]
    public int K { get; init; } = Defaults.K;
    /// <summary>selfRefine: critique-and-revise rounds.</summary>
    [Range(1, 16)]
    public int Rounds { get; init; } = Defaults.Rounds;
    /// <summary>Sampling for majority, passAtK and judge.</summary>
    public SamplingConfig Sampling { get; init; } = Defaults.Sampling;
    /// <summary>The judge for metric judge (model URI and principles).</summary>
    public RewardSpec? Judge { get; init; }
    /// <summary>bestOfN: the reward that picks one of k samples (a rule such as accuracy, a rewardModel or a judge).</summary>
    public RewardSpec? Ranker { get; init; }
}
