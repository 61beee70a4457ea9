namespace Lineage.Trainer.Preferences;

/// <summary>Which two of a prompt's sampled completions become a pair: the best against the worst.</summary>
public static class PairRanking
{
    /// <summary>Indices of the first highest and the first lowest reward; null when every reward is equal (no preference to learn).</summary>
    public static (int Chosen, int Rejected)? BestAndWorst(IReadOnlyList<double> rewards)
    {
        if (rewards.Count < 2) return null;
        int best = 0, worst = 0;
        for (int i = 1; i < rewards.Count; i++)
        {
            if (rewards[i] > rewards[best]) best = i;
            if (rewards[i] < rewards[worst]) worst = i;
        }
        return rewards[best] > rewards[worst] ? (best, worst) : null;
    }
}
