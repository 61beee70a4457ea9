using Lineage.Trainer.Tasks;

namespace Lineage.Trainer.Rewards;

/// <summary>1 when the completion has the think format (<see cref="ThinkFormat.IsWellFormed"/>), else 0.</summary>
public sealed class FormatReward(IReadOnlyList<string>? endMarkers = null) : IRewardFunction
{
    public string Name => "format";

    public ValueTask<double[]> ScoreAsync(IReadOnlyList<Problem> problems, IReadOnlyList<string> completions, IReadOnlyList<int> completionTokenCounts, CancellationToken ct)
    {
        RewardBatch.CheckShape(problems, completions, completionTokenCounts);
        var scores = new double[completions.Count];
        for (int i = 0; i < scores.Length; i++) scores[i] = ThinkFormat.IsWellFormed(completions[i], endMarkers) ? 1 : 0;
        return ValueTask.FromResult(scores);
    }
}
