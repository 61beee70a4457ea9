namespace Lineage.Trainer.TestTime;

/// <summary>Best-of-N's choice: which of a problem's candidates a ranker (verifier, reward model or judge) prefers.</summary>
public static class CandidateRanking
{
    /// <summary>Index of the highest reward; the first sampled wins a tie; a NaN reward never wins over a number.</summary>
    public static int Pick(IReadOnlyList<double> rewards)
    {
        if (rewards.Count == 0) throw new ArgumentException("best-of-N needs at least one candidate", nameof(rewards));
        int best = 0;
        for (int i = 1; i < rewards.Count; i++)
            if (rewards[i] > rewards[best] || (double.IsNaN(rewards[best]) && !double.IsNaN(rewards[i]))) best = i;
        return best;
    }

    /// <summary>
    /// Every index tied with the highest reward, in sampling order (<see cref="Pick"/> takes the first). All NaN: all tied.
    /// </summary>
    public static IReadOnlyList<int> Top(IReadOnlyList<double> rewards)
    {
        double best = rewards[Pick(rewards)];
        return Enumerable.Range(0, rewards.Count).Where(i => double.IsNaN(best) ? double.IsNaN(rewards[i]) : rewards[i] == best).ToList();
    }
}
