using Lineage.Contracts.Config;

namespace Lineage.Trainer.Training;

/// <summary>Linear warmup to the peak, then cosine decay to minRatio × peak at the last step. Pure in the step.</summary>
public static class LearningRateSchedule
{
    public static double At(long step, long totalSteps, OptimConfig optim) =>
        At(step, totalSteps, optim.LearningRate, optim.WarmupSteps, optim.MinLearningRateRatio);

    /// <param name="step">0-based optimizer step.</param>
    public static double At(long step, long totalSteps, double peak, long warmupSteps, double minRatio)
    {
        if (warmupSteps > 0 && step < warmupSteps) return peak * (step + 1) / warmupSteps;
        long decaySteps = Math.Max(1, totalSteps - warmupSteps - 1);
        double progress = Math.Clamp((double)(step - warmupSteps) / decaySteps, 0, 1);
        double cosine = 0.5 * (1 + Math.Cos(Math.PI * progress));
        return peak * (minRatio + (1 - minRatio) * cosine);
    }
}
