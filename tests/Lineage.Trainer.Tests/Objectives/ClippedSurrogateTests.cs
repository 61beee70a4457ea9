using Lineage.Trainer.Objectives;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Lineage.Trainer.Tests.Objectives;

public sealed class ClippedSurrogateTests
{
    // ε_low = 0.2, ε_high = 0.28: ρ is clipped to [0.8, 1.28].
    const double EpsLow = 0.2, EpsHigh = 0.28;

    /// <summary>logp = ln ρ with oldLogp = 0, so each token's ratio is the literal below.</summary>
    internal static (Tensor logp, Tensor oldLogp) WithRatios(params double[] ratios) =>
        (T.Mat(2, 3, ratios.Select(r => Math.Log(r)).ToArray()), zeros(2, 3, dtype: ScalarType.Float64));

    [Fact]
    public void Policy_ratio_is_exp_of_the_log_prob_difference()
    {
        using var scope = NewDisposeScope();
        var ratio = PolicyRatio.Compute(T.Vec(Math.Log(2), 0, -1), T.Vec(0, Math.Log(4), -1));
        T.Close([2, 0.25, 1], ratio, 1e-15);
    }

    [Fact]
    public void Takes_the_pessimistic_minimum_of_clipped_and_unclipped_objectives()
    {
        using var scope = NewDisposeScope();
        // sequence 0 has A = +2, sequence 1 has A = −1
        var (logp, old) = WithRatios(1.0, 1.5, 0.5, 0.5, 1.5, 1.1);
        var loss = ClippedSurrogate.PerTokenLoss(logp, old, T.Vec(2, -1), EpsLow, EpsHigh);

        T.Close([
            -2.0,   // ρ = 1:    min(1·2, 1·2) = 2
            -2.56,  // ρ = 1.5:  min(1.5·2 = 3, 1.28·2 = 2.56) = 2.56   (clipped high)
            -1.0,   // ρ = 0.5:  min(0.5·2 = 1, 0.8·2 = 1.6) = 1        (A > 0: no clip below)
            0.8,    // ρ = 0.5:  min(−0.5, 0.8·−1 = −0.8) = −0.8        (clipped low)
            1.5,    // ρ = 1.5:  min(−1.5, 1.28·−1 = −1.28) = −1.5      (A < 0: no clip above)
            1.1,    // ρ = 1.1:  inside the band, −(1.1·−1)
        ], loss, 1e-12);
    }

    [Fact]
    public void Clipped_tokens_pass_no_gradient_and_unclipped_tokens_pass_minus_A_rho()
    {
        using var scope = NewDisposeScope();
        var (logp, old) = WithRatios(1.0, 1.5, 0.5, 0.5, 1.5, 1.1);
        logp.requires_grad = true;
        ClippedSurrogate.PerTokenLoss(logp, old, T.Vec(2, -1), EpsLow, EpsHigh).sum().backward();

        // d/dlogp of −ρA is −ρA where the unclipped term is the minimum, 0 where the clipped constant is
        T.Close([-2.0, 0.0, -1.0, 0.0, 1.5, 1.1], logp.grad!, 1e-12);
    }

    [Fact]
    public void Counts_clipped_tokens_per_side_over_real_tokens_only()
    {
        using var scope = NewDisposeScope();
        // the last token would be clipped low (ρ = 0.5, A < 0) but is padding
        var (logp, old) = WithRatios(1.0, 1.5, 0.5, 0.5, 1.5, 0.5);
        var mask = T.Mat(2, 3, 1, 1, 1, 1, 1, 0);

        var clip = ClipFractions.Measure(PolicyRatio.Compute(logp, old), T.Vec(2, -1), mask, EpsLow, EpsHigh);

        // 5 real tokens: high = {ρ 1.5 with A > 0}, low = {ρ 0.5 with A < 0}; ρ 0.5 with A > 0 and ρ 1.5 with A < 0 are not clipped
        T.Close(1.0 / 5, clip.Low);
        T.Close(1.0 / 5, clip.High);
        T.Close(2.0 / 5, clip.Region);
    }

    [Fact]
    public void Rejects_advantages_that_are_not_one_per_sequence()
    {
        using var scope = NewDisposeScope();
        var (logp, old) = WithRatios(1, 1, 1, 1, 1, 1);
        var ex = Assert.Throws<ArgumentException>(() => ClippedSurrogate.PerTokenLoss(logp, old, T.Vec(1, 2, 3), EpsLow, EpsHigh));
        Assert.Equal("advantages", ex.ParamName);
    }
}
