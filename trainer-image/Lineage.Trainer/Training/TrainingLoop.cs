using System.Diagnostics;
using Lineage.Contracts.Config;
using static TorchSharp.torch;

namespace Lineage.Trainer.Training;

/// <summary>
/// One optimizer step over micro-batches: dispose scope, gradient accumulation, clipping, the LR
/// schedule and AdamW. It knows nothing of the objective — SFT, GRPO, DPO and the reward model
/// hand it a function from a micro-batch to a loss.
/// </summary>
public sealed class TrainingLoop(AdamW optimizer, OptimConfig optim, long totalSteps)
{
    /// <summary>Steps between returns of free native memory to the OS (see <see cref="NativeHeap"/>).</summary>
    const int TrimEvery = 20;

    public StepMetrics Step<TBatch>(long step, IReadOnlyList<TBatch> microBatches, Func<TBatch, ObjectiveResult> objective)
    {
        var clock = Stopwatch.StartNew();
        using var scope = NewDisposeScope();
        optimizer.ZeroGrad();
        double lossSum = 0;
        long tokens = 0, lossTokens = 0;
        var extra = new Dictionary<string, double>();
        foreach (var micro in microBatches)
        {
            using var microScope = NewDisposeScope();
            var result = objective(micro);
            (result.Loss / microBatches.Count).backward();
            lossSum += result.Loss.item<float>();
            tokens += result.Tokens;
            lossTokens += result.LossTokens;
            foreach (var (k, v) in result.Metrics ?? new Dictionary<string, double>())
                extra[k] = extra.GetValueOrDefault(k) + v / microBatches.Count;
        }
        double gradNorm = optim.MaxGradNorm > 0
            ? nn.utils.clip_grad_norm_(optimizer.Parameters, optim.MaxGradNorm)
            : GradNorm();
        double lr = LearningRateSchedule.At(step, totalSteps, optim);
        optimizer.Apply(lr);
        if ((step + 1) % TrimEvery == 0) NativeHeap.Trim();
        extra["lossTokens"] = lossTokens;
        return new StepMetrics(step, lossSum / microBatches.Count, lr, gradNorm, tokens, clock.Elapsed.TotalSeconds, extra);
    }

    double GradNorm()
    {
        using var scope = NewDisposeScope();
        double sum = 0;
        foreach (var p in optimizer.Parameters)
            if (p.grad is { } g) sum += g.pow(2).sum().item<float>();
        return Math.Sqrt(sum);
    }
}
