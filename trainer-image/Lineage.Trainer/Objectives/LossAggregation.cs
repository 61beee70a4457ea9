using TorchSharp;
using static TorchSharp.torch;

namespace Lineage.Trainer.Objectives;

/// <summary>
/// Reduces a [B,T] per-token loss to the scalar that is back-propagated, as TRL grpo_trainer.py
/// <c>_compute_loss</c> does for each loss_type. Masked (padding, truncated) tokens contribute nothing.
/// </summary>
public static class LossAggregation
{
    /// <summary>
    /// grpo:    mean_b( Σ_t loss·mask / max(Σ_t mask, 1) )
    /// bnpo:    Σ loss·mask / max(Σ mask, 1)                       (this micro-batch's tokens)
    /// dapo:    Σ loss·mask / (dapoTokenCount ?? max(Σ mask, 1))   (every token of the optimiser step)
    /// dr_grpo: Σ loss·mask / (B × maxCompletionLength)
    /// <para>
    /// bnpo vs dapo: TRL divides dapo by <c>num_items_in_batch / num_processes</c>, the completion tokens of the
    /// whole generation batch across gradient-accumulation micro-batches and processes, so summed micro-batch
    /// losses give one global token mean; bnpo uses the local count (TRL then divides grpo/bnpo/dr_grpo by the
    /// accumulation steps — the training loop's job here). On one process with one micro-batch they coincide;
    /// pass <paramref name="dapoTokenCount"/> = Σ mask over all micro-batches of the step to get DAPO exactly.
    /// </para>
    /// </summary>
    public static Tensor Aggregate(Tensor perTokenLoss, Tensor mask, LossType lossType, int maxCompletionLength, double? dapoTokenCount = null)
    {
        Shapes.RequireBatchByTime(perTokenLoss, nameof(perTokenLoss));
        Shapes.RequireSame(perTokenLoss, mask, nameof(perTokenLoss), nameof(mask));
        if (dapoTokenCount is { } n && !(n > 0)) throw new ArgumentOutOfRangeException(nameof(dapoTokenCount), n, "dapoTokenCount must be > 0");

        using var scope = NewDisposeScope();
        // where, not multiply: a NaN or inf in a padded position must not leak into the sum (0·inf = NaN).
        var masked = where(mask > 0, perTokenLoss * mask, zeros_like(perTokenLoss));
        var loss = lossType switch
        {
            LossType.Grpo => (masked.sum(-1) / mask.sum(-1).clamp_min(1.0)).mean(),
            LossType.Bnpo => masked.sum() / mask.sum().clamp_min(1.0),
            LossType.Dapo => dapoTokenCount is { } count ? masked.sum() / count : masked.sum() / mask.sum().clamp_min(1.0),
            LossType.DrGrpo => masked.sum() / DrGrpoNormaliser(perTokenLoss, maxCompletionLength),
            _ => throw new ArgumentOutOfRangeException(nameof(lossType), lossType, "unknown loss type"),
        };
        return loss.MoveToOuterDisposeScope();
    }

    static double DrGrpoNormaliser(Tensor perTokenLoss, int maxCompletionLength)
    {
        if (maxCompletionLength < perTokenLoss.shape[1])
            throw new ArgumentOutOfRangeException(nameof(maxCompletionLength), maxCompletionLength,
                $"dr_grpo needs maxCompletionLength >= the completion width {perTokenLoss.shape[1]}");
        return (double)perTokenLoss.shape[0] * maxCompletionLength;
    }
}
