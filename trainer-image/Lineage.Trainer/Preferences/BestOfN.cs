namespace Lineage.Trainer.Preferences;

/// <summary>Ranking for best-of-N: which of a prompt's candidates a reward prefers.</summary>
public static class BestOfN
{
    /// <summary>Index of the highest reward; the first sampled wins a tie.</summary>
    public static int Pick(IReadOnlyList<double> rewards)
    {
        if (rewards.Count == 0) throw new ArgumentException("best-of-N needs at least one candidate", nameof(rewards));
        int best = 0;
        for (int i = 1; i < rewards.Count; i++)
            if (rewards[i] > rewards[best]) best = i;
        return best;
    }
}
