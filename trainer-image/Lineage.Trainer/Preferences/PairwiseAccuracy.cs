using Lineage.Trainer.Model;

namespace Lineage.Trainer.Preferences;

/// <summary>How often a reward model scores the chosen completion strictly above the rejected one, and by how much on average.</summary>
public sealed record PairwiseAccuracy(double Accuracy, double MeanMargin, int Pairs)
{
    public static PairwiseAccuracy Of(PretrainedRewardModel model, IReadOnlyList<PreferencePair> pairs)
    {
        if (pairs.Count == 0) return new PairwiseAccuracy(0, 0, 0);
        var chosen = model.Score(pairs.Select(p => (p.Prompt, p.Chosen)).ToList());
        var rejected = model.Score(pairs.Select(p => (p.Prompt, p.Rejected)).ToList());
        int wins = 0;
        double margin = 0;
        for (int i = 0; i < pairs.Count; i++)
        {
            if (chosen[i] > rejected[i]) wins++;
            margin += chosen[i] - rejected[i];
        }
        return new PairwiseAccuracy((double)wins / pairs.Count, margin / pairs.Count, pairs.Count);
    }
}
