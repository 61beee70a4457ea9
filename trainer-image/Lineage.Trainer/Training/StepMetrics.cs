namespace Lineage.Trainer.Training;

/// <summary>One optimizer step as the loop saw it; logged as a JSON line.</summary>
public sealed record StepMetrics(long Step, double Loss, double LearningRate, double GradNorm, long Tokens, double Seconds,
    IReadOnlyDictionary<string, double> Extra)
{
    public double TokensPerSecond => Seconds > 0 ? Tokens / Seconds : 0;
}
