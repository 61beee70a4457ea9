namespace Lineage.Contracts.Config;

/// <summary>
/// A few SFT steps that teach the judge to judge the policy's real samples: the policy samples <see cref="Samples"/>
/// completions for each of <see cref="Prompts"/> training prompts, the verifier labels them, and the judge learns to write
/// the verifier-backed critique and score for each (the same target text as <c>tasks --judgments</c>).
/// </summary>
public sealed record JudgeTrainConfig : IValidated
{
    /// <summary>Training prompts the policy samples on. Default 32.</summary>
    public int Prompts { get; init; } = 32;
    /// <summary>Policy samples per prompt. Default 4.</summary>
    public int Samples { get; init; } = 4;
    /// <summary>SFT steps. Default 120 (docs/benchmarks/rlaif.md: 20 steps left a small champion's replies unparsable).</summary>
    public int Steps { get; init; } = 120;
    /// <summary>Judgments per step. Default 16.</summary>
    public int BatchSize { get; init; } = 16;
    /// <summary>Longest judgment (prompt + critique + score) in tokens, at most the judge's context; longer ones are cut. Default 512.</summary>
    public int MaxSeqLen { get; init; } = 512;
    public OptimConfig Optim { get; init; } = new() { LearningRate = 1e-3, WarmupSteps = 0, MinLearningRateRatio = 1.0, WeightDecay = 0 };

    public void Validate(Validation v, string path)
    {
        v.InRange(Prompts, 1, 1_000_000, $"{path}prompts");
        v.InRange(Samples, 1, 1024, $"{path}samples");
        v.InRange(Steps, 1, 1_000_000, $"{path}steps");
        v.Positive(BatchSize, $"{path}batchSize");
        v.Positive(MaxSeqLen, $"{path}maxSeqLen");
        Optim.Validate(v, $"{path}optim.");
    }
}
