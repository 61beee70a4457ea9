using Lineage.Trainer.Rewards;

namespace Lineage.Trainer.TestTime;

/// <summary>What a majority vote over one problem's samples decided.</summary>
/// <param name="Answer">The winning answer, normalised (<see cref="AnswerNormalizer"/>); null when no sample had an answer.</param>
/// <param name="Votes">Samples whose answer is the winner.</param>
/// <param name="Samples">Every sample, those without an answer included.</param>
public sealed record Vote(string? Answer, int Votes, int Samples)
{
    /// <summary>Share of all samples that gave the winning answer; a sample without an answer votes for nothing but still
    /// counts, so 3 of 8 agreeing with 5 unparsable is a share of 0.375, not 1. Zero when there are no samples.</summary>
    public double Share => Samples == 0 ? 0 : (double)Votes / Samples;
}

/// <summary>Self-consistency's choice: the most frequent normalised answer among samples; a tie goes to the answer seen first.</summary>
public static class MajorityVote
{
    /// <param name="answers">Answers already extracted (<see cref="Tasks.ThinkFormat.FinalAnswer"/>), null for a sample without one.</param>
    public static Vote Of(IEnumerable<string?> answers)
    {
        var counts = new Dictionary<string, int>();
        var order = new List<string>();
        int samples = 0;
        foreach (var answer in answers)
        {
            samples++;
            if (answer is null) continue;
            string key = AnswerNormalizer.Normalize(answer);
            if (counts.TryAdd(key, 1)) order.Add(key);
            else counts[key]++;
        }
        string? winner = null;
        foreach (string key in order)
            if (winner is null || counts[key] > counts[winner]) winner = key;
        return new Vote(winner, winner is null ? 0 : counts[winner], samples);
    }

    /// <summary>True when <paramref name="answer"/> is the same answer as the vote's winner (after normalisation).</summary>
    public static bool Agrees(Vote vote, string? answer) =>
        vote.Answer is not null && answer is not null && AnswerNormalizer.Normalize(answer) == vote.Answer;
}
