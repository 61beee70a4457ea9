using System.Text.RegularExpressions;
using Lineage.Trainer.Tasks;

namespace Lineage.Trainer.Rewards;

/// <summary>
/// 1 when the pattern matches anywhere in the completion (anchor it for a full match), else 0.
/// A match that runs past its time limit scores 0: a pathological completion must not stall a GRPO step.
/// </summary>
public sealed class RegexReward(string pattern) : IRewardFunction
{
    static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(100);

    readonly Regex _regex = new(pattern, RegexOptions.CultureInvariant, MatchTimeout);

    public string Name => "regex";

    public ValueTask<double[]> ScoreAsync(IReadOnlyList<Problem> problems, IReadOnlyList<string> completions, IReadOnlyList<int> completionTokenCounts, CancellationToken ct)
    {
        RewardBatch.CheckShape(problems, completions, completionTokenCounts);
        var scores = new double[completions.Count];
        for (int i = 0; i < scores.Length; i++) scores[i] = Matches(completions[i]) ? 1 : 0;
        return ValueTask.FromResult(scores);
    }

    bool Matches(string completion)
    {
        try { return _regex.IsMatch(completion); }
        catch (RegexMatchTimeoutException) { return false; }
    }
}
