using TorchSharp;
using static TorchSharp.torch;

namespace Lineage.Trainer.Objectives;

/// <summary>
/// Share of real (unmasked) tokens whose gradient the clip removed, split by side as TRL logs
/// clip_ratio/low_mean, high_mean and region_mean. A token counts only where clipping changes the
/// objective: ρ &lt; 1−ε_low with A &lt; 0 (low), ρ &gt; 1+ε_high with A &gt; 0 (high).
/// </summary>
public sealed record ClipFractions(double Low, double High, double Region)
{
    /// <summary>ratio [B,T], advantages [B], mask [B,T] of 1/0.</summary>
    public static ClipFractions Measure(Tensor ratio, Tensor advantages, Tensor mask, double epsilonLow, double epsilonHigh)
    {
        Shapes.RequireBatchByTime(ratio, nameof(ratio));
        Shapes.RequireSame(ratio, mask, nameof(ratio), nameof(mask));
        Shapes.RequirePerSequence(advantages, ratio, nameof(advantages));
        ClippedSurrogate.CheckEpsilons(epsilonLow, epsilonHigh);

        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var a = advantages.unsqueeze(1);
        var low = (ratio < 1 - epsilonLow).logical_and(a < 0);
        var high = (ratio > 1 + epsilonHigh).logical_and(a > 0);
        var region = low.logical_or(high);
        var m = mask.to_type(ScalarType.Float64);
        var tokens = m.sum().clamp_min(1.0);
        double Share(Tensor hit) => (hit.to_type(ScalarType.Float64) * m).sum().div(tokens).ToDouble();
        return new ClipFractions(Share(low), Share(high), Share(region));
    }
}
