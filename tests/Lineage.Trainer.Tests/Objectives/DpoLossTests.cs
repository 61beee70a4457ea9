using Lineage.Trainer.Objectives;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Lineage.Trainer.Tests.Objectives;

public sealed class DpoLossTests
{
    // pair 0: policy moved toward chosen (+1) and away from rejected (−1) relative to the reference;
    // pair 1: policy kept chosen and moved toward rejected (+1): the wrong way.
    static (Tensor pc, Tensor pr, Tensor rc, Tensor rr) Pairs() =>
        (T.Vec(-1, -2), T.Vec(-3, -1), T.Vec(-2, -2), T.Vec(-2, -2));

    static double Softplus(double x) => Math.Log(1 + Math.Exp(x));

    [Fact]
    public void Is_minus_log_sigmoid_of_beta_times_the_implicit_reward_margin()
    {
        using var scope = NewDisposeScope();
        var (pc, pr, rc, rr) = Pairs();

        var result = DpoLoss.Compute(pc, pr, rc, rr, beta: 0.1);

        // z0 = (−1 + 3) − (−2 + 2) = 2 → −log σ(0.2) = ln(1 + e^−0.2)
        // z1 = (−2 + 1) − 0 = −1     → −log σ(−0.1) = ln(1 + e^0.1)
        T.Close((Softplus(-0.2) + Softplus(0.1)) / 2, result.Loss);
        // rewards β(π − ref): chosen [0.1, 0], rejected [−0.1, 0.1]
        T.Close(0.05, result.Stats.ChosenReward);
        T.Close(0.0, result.Stats.RejectedReward);
        T.Close(0.5, result.Stats.Accuracy);   // pair 0 right, pair 1 wrong
        T.Close(0.05, result.Stats.Margin);    // mean(0.2, −0.1)
    }

    [Fact]
    public void Gradient_raises_chosen_and_lowers_rejected_log_probs()
    {
        using var scope = NewDisposeScope();
        var (pc, pr, rc, rr) = Pairs();
        pc.requires_grad = true;
        pr.requires_grad = true;

        DpoLoss.Compute(pc, pr, rc, rr, beta: 0.1).Loss.backward();

        // dL/dπc_i = −β σ(−β z_i) / B ; dL/dπr_i = +β σ(−β z_i) / B
        static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));
        T.Close([-0.1 * Sigmoid(-0.2) / 2, -0.1 * Sigmoid(0.1) / 2], pc.grad!);
        T.Close([0.1 * Sigmoid(-0.2) / 2, 0.1 * Sigmoid(0.1) / 2], pr.grad!);
    }

    [Fact]
    public void Label_smoothing_mixes_in_the_flipped_preference()
    {
        using var scope = NewDisposeScope();
        var (pc, pr, rc, rr) = Pairs();

        var result = DpoLoss.Compute(pc, pr, rc, rr, beta: 0.1, labelSmoothing: 0.1);

        // 0.9·softplus(−βz) + 0.1·softplus(βz) per pair
        var pair0 = 0.9 * Softplus(-0.2) + 0.1 * Softplus(0.2);
        var pair1 = 0.9 * Softplus(0.1) + 0.1 * Softplus(-0.1);
        T.Close((pair0 + pair1) / 2, result.Loss);
    }

    [Fact]
    public void Stays_finite_for_extreme_margins()
    {
        using var scope = NewDisposeScope();
        var result = DpoLoss.Compute(T.Vec(0, -10000), T.Vec(-10000, 0), T.Vec(0, 0), T.Vec(0, 0), beta: 1.0);
        // pair 0: −log σ(10000) = 0 ; pair 1: −log σ(−10000) = 10000
        T.Close(5000.0, result.Loss, 1e-9);
    }
}
