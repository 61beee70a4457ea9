using Lineage.Trainer.Runs;
using Lineage.Trainer.Training;

namespace Lineage.Trainer.Tests.Runs;

/// <summary>Plays a killed pod: cancels the run's token once step <paramref name="step"/> has run.</summary>
sealed class CancelAtStep(CancellationTokenSource cts, long step) : IRunObserver
{
    public void Step(StepMetrics metrics, long totalSteps)
    {
        if (metrics.Step + 1 == step) cts.Cancel();
    }
}
