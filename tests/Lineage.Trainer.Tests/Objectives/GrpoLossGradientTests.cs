using Lineage.Trainer.Objectives;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Lineage.Trainer.Tests.Objectives;

/// <summary>The GRPO loss differentiates correctly end to end: autograd through logits → log-probs → loss matches central differences.</summary>
public sealed class GrpoLossGradientTests
{
    [Theory]
    [InlineData(LossType.Grpo)]
    [InlineData(LossType.Bnpo)]
    [InlineData(LossType.Dapo)]
    [InlineData(LossType.DrGrpo)]
    public void Loss_gradient_of_a_tiny_policy_matches_central_finite_differences(LossType lossType)
    {
        using var scope = NewDisposeScope();
        manual_seed(7);
        // tiny policy: a linear layer from 4 features to logits over a 5-token vocabulary; 2 sequences × 3 tokens
        var policy = nn.Linear(4, 5, dtype: ScalarType.Float64);
        var features = randn(2, 3, 4, dtype: ScalarType.Float64);
        var targets = tensor(new long[] { 0, 3, 1, 4, 2, 2 }).reshape(2, 3);
        var mask = T.Mat(2, 3, 1, 1, 1, 1, 1, 0);
        var advantages = T.Vec(1.0, -0.5);
        var options = new GrpoLossOptions(Beta: 0.04, EpsilonLow: 0.2, EpsilonHigh: 0.28, lossType, MaxCompletionLength: 4);

        Tensor LogProbs() => TokenLogProbs.Compute(policy.forward(features), targets);
        Tensor start;
        using (no_grad()) start = LogProbs();
        // ratios e^−offset = .905, 1.49 (clipped high, A > 0), .951 | 1.105, .741 (clipped low, A < 0), 1:
        // every token sits ≥ 0.04 away from a clip boundary, so the loss is smooth where we probe it.
        var old = start + T.Mat(2, 3, 0.1, -0.4, 0.05, -0.1, 0.3, 0.0);
        var reference = start + T.Mat(2, 3, 0.2, -0.3, 0.1, 0.0, 0.4, -0.2);
        Tensor Loss() => GrpoLoss.Compute(LogProbs(), old, reference, advantages, mask, options).Loss;

        Loss().backward();

        const double h = 1e-6;
        var checkedAny = false;
        foreach (var parameter in policy.parameters())
        {
            var analytic = parameter.grad!.clone().view(-1);
            var flat = parameter.detach().view(-1);
            for (long i = 0; i < flat.shape[0]; i++)
            {
                double plus, minus;
                using (no_grad())
                {
                    flat[i].add_(h);
                    plus = Loss().ToDouble();
                    flat[i].sub_(2 * h);
                    minus = Loss().ToDouble();
                    flat[i].add_(h);
                }
                var numeric = (plus - minus) / (2 * h);
                var autograd = analytic[i].ToDouble();
                Assert.True(Math.Abs(numeric - autograd) <= 1e-6, $"{lossType} parameter element {i}: autograd {autograd:R}, finite difference {numeric:R}");
                checkedAny |= Math.Abs(autograd) > 1e-4;
            }
        }
        Assert.True(checkedAny, "the gradient was zero everywhere, so the comparison proved nothing");
    }
}
