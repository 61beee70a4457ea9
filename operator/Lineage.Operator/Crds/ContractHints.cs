using Lineage.Contracts.Config;

namespace Lineage.Operator.Crds;

/// <summary>
/// Schema constraints for the trainer's contract records, which carry no Kubernetes attributes: the values
/// come from the same arrays and bounds their Validate methods use.
/// </summary>
public static class ContractHints
{
    public sealed record Hint(string[]? Enum = null, double? Minimum = null, double? Maximum = null);

    static readonly Dictionary<(Type, string), Hint> Hints = new()
    {
        [(typeof(DataConfig), nameof(DataConfig.Task))] = new(DataConfig.Tasks),
        [(typeof(DataConfig), nameof(DataConfig.Split))] = new(["train", "test"]),
        [(typeof(DataConfig), nameof(DataConfig.AnswerFormat))] = new(["plain", "gsm8k"]),
        [(typeof(DataConfig), nameof(DataConfig.Digits))] = new(Minimum: 1, Maximum: 12),
        [(typeof(DataConfig), nameof(DataConfig.Numbers))] = new(Minimum: 2, Maximum: 6),
        [(typeof(DataConfig), nameof(DataConfig.MaxTarget))] = new(Minimum: 1, Maximum: 100000),
        [(typeof(DataConfig), nameof(DataConfig.MaxNumber))] = new(Minimum: 1, Maximum: 1000),
        [(typeof(DataConfig), nameof(DataConfig.Count))] = new(Minimum: 0),
        [(typeof(RewardSpec), nameof(RewardSpec.Name))] = new(RewardSpec.Names),
        [(typeof(RewardSpec), nameof(RewardSpec.MaxLength))] = new(Minimum: 1),
        [(typeof(RewardSpec), nameof(RewardSpec.Buffer))] = new(Minimum: 0),
        [(typeof(RewardSpec), nameof(RewardSpec.Samples))] = new(Minimum: 1, Maximum: 64),
        [(typeof(RewardSpec), nameof(RewardSpec.MaxScore))] = new(Minimum: 1),
        [(typeof(JudgeCheckConfig), nameof(JudgeCheckConfig.Problems))] = new(Minimum: 1, Maximum: 100000),
        [(typeof(JudgeCheckConfig), nameof(JudgeCheckConfig.Samples))] = new(Minimum: 2, Maximum: 1024),
        [(typeof(JudgeCheckConfig), nameof(JudgeCheckConfig.Margin))] = new(Minimum: 0, Maximum: 1),
        [(typeof(JudgeTrainConfig), nameof(JudgeTrainConfig.Prompts))] = new(Minimum: 1, Maximum: 1000000),
        [(typeof(JudgeTrainConfig), nameof(JudgeTrainConfig.Samples))] = new(Minimum: 1, Maximum: 1024),
        [(typeof(JudgeTrainConfig), nameof(JudgeTrainConfig.Steps))] = new(Minimum: 1, Maximum: 1000000),
        [(typeof(JudgeTrainConfig), nameof(JudgeTrainConfig.BatchSize))] = new(Minimum: 1),
        [(typeof(JudgeTrainConfig), nameof(JudgeTrainConfig.MaxSeqLen))] = new(Minimum: 1),
        [(typeof(SamplingConfig), nameof(SamplingConfig.Temperature))] = new(Minimum: 0),
        [(typeof(SamplingConfig), nameof(SamplingConfig.TopK))] = new(Minimum: 0),
        [(typeof(SamplingConfig), nameof(SamplingConfig.TopP))] = new(Minimum: 0, Maximum: 1),
        [(typeof(SamplingConfig), nameof(SamplingConfig.MaxNewTokens))] = new(Minimum: 1, Maximum: 32768),
        [(typeof(OptimConfig), nameof(OptimConfig.LearningRate))] = new(Minimum: 0),
        [(typeof(OptimConfig), nameof(OptimConfig.WarmupSteps))] = new(Minimum: 0),
        [(typeof(OptimConfig), nameof(OptimConfig.MinLearningRateRatio))] = new(Minimum: 0, Maximum: 1),
        [(typeof(OptimConfig), nameof(OptimConfig.WeightDecay))] = new(Minimum: 0),
        [(typeof(OptimConfig), nameof(OptimConfig.Beta1))] = new(Minimum: 0, Maximum: 1),
        [(typeof(OptimConfig), nameof(OptimConfig.Beta2))] = new(Minimum: 0, Maximum: 1),
        [(typeof(OptimConfig), nameof(OptimConfig.Epsilon))] = new(Minimum: 0),
        [(typeof(OptimConfig), nameof(OptimConfig.MaxGradNorm))] = new(Minimum: 0),
        [(typeof(OptimConfig), nameof(OptimConfig.GradientAccumulation))] = new(Minimum: 1),
    };

    public static Hint? For(Type declaringType, string property) => Hints.GetValueOrDefault((declaringType, property));
}
