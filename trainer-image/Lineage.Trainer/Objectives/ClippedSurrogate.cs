using TorchSharp;
using static TorchSharp.torch;

namespace Lineage.Trainer.Objectives;

/// <summary>
/// PPO's clipped surrogate with DAPO's decoupled bounds ("clip-higher", ε_high &gt; ε_low), as a loss to minimise:
/// −min(ρ·A, clip(ρ, 1−ε_low, 1+ε_high)·A) per token (TRL grpo_trainer.py <c>_compute_loss</c>, coef_1/coef_2).
/// </summary>
public static class ClippedSurrogate
{
    /// <summary>logp, oldLogp [B,T]; advantages [B] (broadcast over tokens) → per-token loss [B,T], unmasked.</summary>
    public static Tensor PerTokenLoss(Tensor logp, Tensor oldLogp, Tensor advantages, double epsilonLow, double epsilonHigh)
    {
        Shapes.RequireBatchByTime(logp, nameof(logp));
        Shapes.RequirePerSequence(advantages, logp, nameof(advantages));
        CheckEpsilons(epsilonLow, epsilonHigh);

        using var scope = NewDisposeScope();
        var ratio = PolicyRatio.Compute(logp, oldLogp);
        var a = advantages.unsqueeze(1);
        var unclipped = ratio * a;
        var clipped = ratio.clamp(1 - epsilonLow, 1 + epsilonHigh) * a;
        return (-minimum(unclipped, clipped)).MoveToOuterDisposeScope();
    }

    internal static void CheckEpsilons(double epsilonLow, double epsilonHigh)
    {
        if (!(epsilonLow >= 0 && epsilonLow < 1)) throw new ArgumentOutOfRangeException(nameof(epsilonLow), epsilonLow, "epsilonLow must be in [0, 1)");
        if (!(epsilonHigh >= 0)) throw new ArgumentOutOfRangeException(nameof(epsilonHigh), epsilonHigh, "epsilonHigh must be >= 0");
    }
}
