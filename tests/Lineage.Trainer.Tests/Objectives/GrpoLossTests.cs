using Lineage.Trainer.Objectives;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Lineage.Trainer.Tests.Objectives;

public sealed class GrpoLossTests
{
    static GrpoLossOptions Options(double beta, LossType lossType = LossType.Grpo) => new(beta, EpsilonLow: 0.2, EpsilonHigh: 0.28, lossType, MaxCompletionLength: 3);
    static Tensor Advantages() => T.Vec(2, -1);
    static Tensor Mask() => T.Mat(2, 3, 1, 1, 1, 1, 1, 0);

    [Fact]
    public void Adds_beta_times_k3_to_the_clipped_surrogate_and_aggregates()
    {
        using var scope = NewDisposeScope();
        var (logp, old) = ClippedSurrogateTests.WithRatios(1.0, 1.5, 0.5, 0.5, 1.6, 1.1);
        // reference is ln 2 above the policy everywhere: k3 = 2 − ln 2 − 1 = 1 − ln 2 per token
        var refLogp = logp + Math.Log(2);

        var result = GrpoLoss.Compute(logp, old, refLogp, Advantages(), Mask(), Options(beta: 0.1));

        // surrogate per token (see ClippedSurrogateTests): −2, −2.56, −1 | 0.8, 1.6, (padding)
        // grpo: mean( (−2 − 2.56 − 1)/3, (0.8 + 1.6)/2 ) + 0.1·(1 − ln 2)   (a constant per token survives every token mean)
        var expected = (-5.56 / 3 + 2.4 / 2) / 2 + 0.1 * (1 - Math.Log(2));
        T.Close(expected, result.Loss);
        T.Close(1 - Math.Log(2), result.Stats.KlMean!.Value);
        T.Close(1.0 / 5, result.Stats.Clip.Low);    // ρ 0.5 with A = −1
        T.Close(1.0 / 5, result.Stats.Clip.High);   // ρ 1.5 with A = +2
        T.Close((1.0 + 1.5 + 0.5 + 0.5 + 1.6) / 5, result.Stats.RatioMean);
    }

    [Fact]
    public void Beta_zero_ignores_the_reference_entirely()
    {
        using var scope = NewDisposeScope();
        var (logp, old) = ClippedSurrogateTests.WithRatios(1.0, 1.5, 0.5, 0.5, 1.6, 1.1);

        var without = GrpoLoss.Compute(logp, old, refLogp: null, Advantages(), Mask(), Options(beta: 0));
        var withFarReference = GrpoLoss.Compute(logp, old, logp + 50.0, Advantages(), Mask(), Options(beta: 0));

        T.Close((-5.56 / 3 + 2.4 / 2) / 2, without.Loss);
        T.Close(without.Loss.ToDouble(), withFarReference.Loss, 0.0);
        Assert.Null(without.Stats.KlMean);
        Assert.Null(withFarReference.Stats.KlMean);
    }

    [Fact]
    public void Nonzero_beta_without_reference_log_probs_is_an_error()
    {
        using var scope = NewDisposeScope();
        var (logp, old) = ClippedSurrogateTests.WithRatios(1, 1, 1, 1, 1, 1);
        var ex = Assert.Throws<ArgumentNullException>(() => GrpoLoss.Compute(logp, old, null, Advantages(), Mask(), Options(beta: 0.04)));
        Assert.Equal("refLogp", ex.ParamName);
    }

    [Fact]
    public void Without_old_log_probs_the_ratio_is_one_but_still_carries_the_policy_gradient()
    {
        using var scope = NewDisposeScope();
        var logp = T.Mat(2, 3, -0.1, -2.0, -0.7, -1.2, -0.3, -9.0);
        logp.requires_grad = true;

        var result = GrpoLoss.Compute(logp, oldLogp: null, refLogp: null, Advantages(), Mask(), Options(beta: 0));
        result.Loss.backward();

        // ρ = 1: per token −A → mean(−2, +1) = −0.5; d/dlogp = −A·ρ / (tokens in sequence) / B
        T.Close(-0.5, result.Loss);
        T.Close([-2.0 / 3 / 2, -2.0 / 3 / 2, -2.0 / 3 / 2, 1.0 / 2 / 2, 1.0 / 2 / 2, 0], logp.grad!);
        T.Close(1.0, result.Stats.RatioMean);
        T.Close(0.0, result.Stats.Clip.Region);
    }

    [Fact]
    public void Raising_a_positive_advantage_completion_lowers_the_loss()
    {
        using var scope = NewDisposeScope();
        var logp = zeros(2, 3, dtype: ScalarType.Float64);
        var before = GrpoLoss.Compute(logp, logp, null, Advantages(), Mask(), Options(0, LossType.Dapo)).Loss.ToDouble();
        // sequence 0 (A = +2) becomes 10 % more likely per token, inside the clip band
        var raised = logp + T.Mat(2, 3, 0.1, 0.1, 0.1, 0, 0, 0);
        var after = GrpoLoss.Compute(raised, logp, null, Advantages(), Mask(), Options(0, LossType.Dapo)).Loss.ToDouble();

        // dapo: (−2·3·e^0.1 + 1·2) / 5 vs (−6 + 2) / 5
        T.Close((-6 * Math.Exp(0.1) + 2) / 5, after);
        Assert.True(after < before);
    }
}
