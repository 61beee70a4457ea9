using Lineage.Trainer.Grpo;
using Lineage.Trainer.Model;
using Lineage.Trainer.Objectives;
using Lineage.Trainer.Tasks;
using Lineage.Trainer.Tests.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace Lineage.Trainer.Tests.Grpo;

public sealed class GrpoObjectiveTests
{
    static readonly Problem Any = new("p", "test", "", "0");

    /// <summary>Three rollouts of different prompt and completion lengths, so padding and alignment both matter.</summary>
    static List<Rollout> Rollouts() =>
    [
        new(Any, [1, 2, 3], [4, 5], "", 2, false),
        new(Any, [6], [7, 8, 9, 10], "", 4, true),
        new(Any, [2, 2], [3], "", 1, false),
    ];

    [Fact]
    public void Completion_log_probs_of_a_padded_batch_equal_each_sequence_run_alone()
    {
        using var scope = NewDisposeScope();
        using var model = TinyModels.WithFixedWeights(TinyModels.Config(layers: 2, vocab: 11));
        var rollouts = Rollouts();
        using var batch = RolloutBatch.Build(rollouts, [1f, -1f, 0.5f], maskTruncated: false, padId: 0);
        var objective = new GrpoObjective(new GrpoLossOptions(0, 0.2, 0.28, LossType.Grpo, 4), temperature: 0.7);
        using var noGrad = no_grad();
        var batched = objective.LogProbs(model, batch);
        Assert.Equal([3L, 4L], batched.shape);

        for (int b = 0; b < rollouts.Count; b++)
        {
            var r = rollouts[b];
            long[] sequence = [.. r.PromptIds.Select(i => (long)i), .. r.CompletionIds.Select(i => (long)i)];
            var logits = model.Forward(tensor(sequence, [1, sequence.Length]));
            var logp = (logits / 0.7).log_softmax(-1);
            for (int t = 0; t < r.CompletionIds.Length; t++)
            {
                double alone = logp[0, r.PromptIds.Length - 1 + t, r.CompletionIds[t]].ToDouble();
                Assert.Equal(alone, batched[b, t].ToDouble(), 5);
            }
        }
        Assert.Equal(new float[] { 1, 1, 0, 0, 1, 1, 1, 1, 1, 0, 0, 0 }, batch.Mask.data<float>().ToArray());
    }

    [Fact]
    public void Masking_truncated_rollouts_removes_them_from_the_loss()
    {
        using var batch = RolloutBatch.Build(Rollouts(), [1f, -1f, 0.5f], maskTruncated: true, padId: 0);
        Assert.Equal(new float[] { 1, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0 }, batch.Mask.data<float>().ToArray());
        Assert.Equal(3, batch.LossTokens);
    }

    [Theory]
    [InlineData("grpo")]
    [InlineData("dapo")]
    [InlineData("dr_grpo")]
    public void Loss_gradient_through_the_model_matches_central_finite_differences(string lossType)
    {
        using var scope = NewDisposeScope();
        using var model = TinyModels.WithFixedWeights(TinyModels.Config(layers: 1, vocab: 11));
        model.to(ScalarType.Float64);
        using var batch = RolloutBatch.Build(Rollouts(), [1f, -0.5f, 0.8f], maskTruncated: false, padId: 0);
        batch.Advantages.Dispose();
        var options = new GrpoLossOptions(Beta: 0.04, EpsilonLow: 0.2, EpsilonHigh: 0.28, LossTypes.Parse(lossType), MaxCompletionLength: 5);
        var objective = new GrpoObjective(options, temperature: 1.0);
        var advantages = tensor(new double[] { 1, -0.5, 0.8 });
        // π_old and π_ref sit at fixed offsets, ≥ 0.04 in log space from every clip boundary: ratios .905 1.49 .951 1.105 | .741 1 .905 1.49 | .951
        var offsets = tensor(new double[] { 0.1, -0.4, 0.05, -0.1, 0.3, 0.0, 0.1, -0.4, 0.05, -0.1, 0.3, 0.0 }).view(3, 4);
        Tensor start;
        using (no_grad()) start = objective.LogProbs(model, batch);
        var withOld = new RolloutBatch
        {
            InputIds = batch.InputIds, CompletionPositions = batch.CompletionPositions, CompletionTargets = batch.CompletionTargets,
            Mask = batch.Mask.to_type(ScalarType.Float64), Advantages = advantages, LossTokens = batch.LossTokens,
            OldLogp = start + offsets, RefLogp = start + offsets.flip(1),
        };
        double Loss() => objective.Evaluate(model, withOld, dapoTokenCount: null).Loss.ToDouble();

        objective.Evaluate(model, withOld, null).Loss.backward();
        int checkedElements = 0;
        // RMSNorm computes in float32 even in a float64 model, so the step must stay well above float32 rounding.
        const double h = 1e-3;
        foreach (var (name, p) in model.named_parameters())
        {
            var analytic = p.grad!.clone().view(-1);
            var flat = p.detach().view(-1);
            // the largest few gradient entries of every tensor, where a wrong gradient cannot hide
            var (_, top) = analytic.abs().topk((int)Math.Min(3, flat.shape[0]));
            foreach (long i in top.data<long>().ToArray())
            {
                double plus, minus;
                using (no_grad())
                {
                    flat[i].add_(h); plus = Loss();
                    flat[i].sub_(2 * h); minus = Loss();
                    flat[i].add_(h);
                }
                double numeric = (plus - minus) / (2 * h), autograd = analytic[i].ToDouble();
                Assert.True(Math.Abs(numeric - autograd) <= 3e-4 + 1e-2 * Math.Abs(autograd), $"{lossType} {name}[{i}]: autograd {autograd:R}, finite difference {numeric:R}");
                if (Math.Abs(autograd) > 1e-4) checkedElements++;
            }
        }
        Assert.True(checkedElements > 10, $"only {checkedElements} non-trivial gradient entries were checked");
    }
}
