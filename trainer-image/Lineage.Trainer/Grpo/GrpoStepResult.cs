using Lineage.Trainer.Training;

namespace Lineage.Trainer.Grpo;

/// <summary>One GRPO step as logged: every metric of the JSON line, and the summary the progress bar shows.</summary>
/// <param name="Updated">false when dynamic sampling found no group with signal, so no optimizer step ran.</param>
public sealed record GrpoStepResult(Dictionary<string, double> Metrics, StepMetrics Summary, bool Updated)
{
    public double Reward => Metrics["reward"];
}
