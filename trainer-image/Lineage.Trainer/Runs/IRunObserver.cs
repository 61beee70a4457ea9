using Lineage.Trainer.Evaluation;
using Lineage.Trainer.Training;

namespace Lineage.Trainer.Runs;

/// <summary>How a run reports while it works: the CLI draws a progress bar, tests and the demo collect numbers.</summary>
public interface IRunObserver
{
    void Started(string kind, long fromStep, long totalSteps) { }
    void Step(StepMetrics metrics, long totalSteps) { }
    void Evaluated(long step, EvalRun eval) { }
    void Note(string message) { }
}

public sealed class SilentObserver : IRunObserver
{
    public static readonly SilentObserver Instance = new();
}
