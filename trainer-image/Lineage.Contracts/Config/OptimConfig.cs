namespace Lineage.Contracts.Config;

/// <summary>AdamW with linear warmup then cosine decay to <see cref="MinLearningRateRatio"/> × peak.</summary>
public sealed record OptimConfig : IValidated
{
    public double LearningRate { get; init; } = 1e-3;
    public int WarmupSteps { get; init; } = 50;
    public double MinLearningRateRatio { get; init; } = 0.1;
    public double WeightDecay { get; init; } = 0.01;
    public double Beta1 { get; init; } = 0.9;
    public double Beta2 { get; init; } = 0.95;
    public double Epsilon { get; init; } = 1e-8;
    /// <summary>Clip the global gradient norm to this; 0 = off. Default 1.0.</summary>
    public double MaxGradNorm { get; init; } = 1.0;
    /// <summary>Micro-batches accumulated per optimizer step. Default 1.</summary>
    public int GradientAccumulation { get; init; } = 1;

    public void Validate(Validation v, string path)
    {
        v.Positive(LearningRate, $"{path}learningRate");
        v.NonNegative(WarmupSteps, $"{path}warmupSteps");
        v.InRange(MinLearningRateRatio, 0, 1, $"{path}minLearningRateRatio");
        v.NonNegative(WeightDecay, $"{path}weightDecay");
        v.Require(Beta1 >= 0 && Beta1 < 1, $"{path}beta1", $"must be in [0, 1) (got {Beta1})");
        v.Require(Beta2 >= 0 && Beta2 < 1, $"{path}beta2", $"must be in [0, 1) (got {Beta2})");
        v.Positive(Epsilon, $"{path}epsilon");
        v.NonNegative(MaxGradNorm, $"{path}maxGradNorm");
        v.Positive(GradientAccumulation, $"{path}gradientAccumulation");
    }
}
