using Lineage.Trainer.Model;
using Lineage.Trainer.Objectives;
using Lineage.Trainer.Preferences;
using TorchSharp;
using static TorchSharp.torch;

namespace Lineage.Trainer.Training;

/// <summary>
/// DPO on a micro-batch of pairs: one padded batch with the chosen rows then the rejected rows,
/// sequence log-probs of the completion tokens under the policy (with gradients) and the frozen
/// reference (without), then <see cref="DpoLoss"/>.
/// </summary>
public static class DpoObjective
{
    public static SftBatch Batch(IReadOnlyList<PairTokens> pairs, int maxSeqLen, int padId, Device? device = null) =>
        SftBatch.Padded(pairs.Select(p => p.ChosenExample).Concat(pairs.Select(p => p.RejectedExample)).ToList(), maxSeqLen, padId, device);

    /// <summary>log π(completion) per row [2B]: Σ of the completion tokens' log-probs.</summary>
    public static Tensor SequenceLogProbs(CausalLM model, SftBatch batch) =>
        TokenLogProbs.SequenceSum(TokenLogProbs.Compute(model.Forward(batch.InputIds), batch.Targets), batch.LossMask);

    public static ObjectiveResult Evaluate(CausalLM policy, CausalLM reference, SftBatch batch, double beta, double labelSmoothing)
    {
        Tensor refLogp;
        using (no_grad()) refLogp = SequenceLogProbs(reference, batch);
        var logp = SequenceLogProbs(policy, batch);
        long pairs = logp.shape[0] / 2;
        var result = DpoLoss.Compute(logp.narrow(0, 0, pairs), logp.narrow(0, pairs, pairs), refLogp.narrow(0, 0, pairs), refLogp.narrow(0, pairs, pairs), beta, labelSmoothing);
        Dictionary<string, double> metrics;
        using (no_grad())
        {
            var logratio = logp.detach() - refLogp;
            metrics = new Dictionary<string, double>
            {
                ["rewardAccuracy"] = result.Stats.Accuracy,
                ["chosenReward"] = result.Stats.ChosenReward,
                ["rejectedReward"] = result.Stats.RejectedReward,
                ["margin"] = result.Stats.Margin,
                ["logratio"] = logratio.mean().ToDouble(),
                ["logpChosen"] = logp.narrow(0, 0, pairs).mean().ToDouble(),
                ["logpRejected"] = logp.narrow(0, pairs, pairs).mean().ToDouble(),
            };
        }
        return new ObjectiveResult(result.Loss, batch.Tokens, batch.CompletionTokens, metrics);
    }
}
