using Lineage.Trainer.Model;
using Lineage.Trainer.Objectives;
using Lineage.Trainer.Preferences;
using TorchSharp;
using static TorchSharp.torch;

namespace Lineage.Trainer.Training;

/// <summary>Bradley–Terry on a pair batch whose first half of rows are the chosen sequences and second half the rejected.</summary>
public static class RewardModelObjective
{
    /// <summary>Chosen rows first, then rejected rows, in the same pair order.</summary>
    public static SequenceBatch Batch(IReadOnlyList<PairTokens> pairs, int maxSeqLen, int padId, Device? device = null) =>
        SequenceBatch.RightPadded(
            pairs.Select(p => p.Prompt.Concat(p.Chosen).ToArray()).Concat(pairs.Select(p => p.Prompt.Concat(p.Rejected).ToArray())).ToList(),
            maxSeqLen, padId, device);

    public static ObjectiveResult Evaluate(RewardModel model, SequenceBatch batch)
    {
        var scores = model.forward(batch.Ids, batch.Lengths);
        long pairs = scores.shape[0] / 2;
        var chosen = scores.narrow(0, 0, pairs);
        var rejected = scores.narrow(0, pairs, pairs);
        var result = BradleyTerryLoss.Compute(chosen, rejected);
        double margin;
        using (no_grad()) margin = (chosen - rejected).mean().ToDouble();
        var metrics = new Dictionary<string, double> { ["accuracy"] = result.Accuracy, ["margin"] = margin };
        return new ObjectiveResult(result.Loss, batch.Ids.numel(), batch.Tokens, metrics);
    }
}
