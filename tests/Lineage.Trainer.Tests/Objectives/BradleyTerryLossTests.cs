using Lineage.Trainer.Objectives;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Lineage.Trainer.Tests.Objectives;

public sealed class BradleyTerryLossTests
{
    [Fact]
    public void Is_the_mean_negative_log_likelihood_that_chosen_beats_rejected()
    {
        using var scope = NewDisposeScope();
        var result = BradleyTerryLoss.Compute(T.Vec(2, 0, -1), T.Vec(1, 0, 1));

        // margins 1, 0, −2: −log σ(m) = ln(1 + e^−m) → ln(1 + e^−1), ln 2, ln(1 + e^2)
        T.Close((Math.Log(1 + Math.Exp(-1)) + Math.Log(2) + Math.Log(1 + Math.Exp(2))) / 3, result.Loss);
        // only the first pair is ranked right; a tie is not a correct ranking
        T.Close(1.0 / 3, result.Accuracy);
    }

    [Fact]
    public void Gradient_pushes_chosen_scores_up_and_rejected_down()
    {
        using var scope = NewDisposeScope();
        var chosen = T.Vec(0.0);
        var rejected = T.Vec(0.0);
        chosen.requires_grad = true;
        rejected.requires_grad = true;

        BradleyTerryLoss.Compute(chosen, rejected).Loss.backward();

        // d/dm of −log σ(m) at m = 0 is −σ(0) = −1/2
        T.Close([-0.5], chosen.grad!);
        T.Close([0.5], rejected.grad!);
    }

    [Fact]
    public void Stays_finite_for_extreme_scores()
    {
        using var scope = NewDisposeScope();
        var result = BradleyTerryLoss.Compute(T.Vec(1000, -1000), T.Vec(-1000, 1000));
        // −log σ(2000) = 0, −log σ(−2000) = 2000
        T.Close(1000.0, result.Loss, 1e-9);
        T.Close(0.5, result.Accuracy);
    }

    [Fact]
    public void Rejects_unpaired_scores()
    {
        using var scope = NewDisposeScope();
        var ex = Assert.Throws<ArgumentException>(() => BradleyTerryLoss.Compute(T.Vec(1, 2), T.Vec(1)));
        Assert.Equal("rejectedScores", ex.ParamName);
    }
}
