namespace Lineage.Trainer.Rewards;

/// <summary>maj@k: the most frequent normalised answer among samples; ties go to the answer seen first.</summary>
public static class MajorityVote
{
    /// <summary>Null when no sample has an answer. Pass answers already extracted (null for none).</summary>
    public static string? Winner(IEnumerable<string?> answers)
    {
        var counts = new Dictionary<string, int>();
        var order = new List<string>();
        foreach (var answer in answers)
        {
            if (answer is null) continue;
            string key = AnswerNormalizer.Normalize(answer);
            if (counts.TryAdd(key, 1)) order.Add(key);
            else counts[key]++;
        }
        string? winner = null;
        foreach (string key in order)
            if (winner is null || counts[key] > counts[winner]) winner = key;
        return winner;
    }
}
