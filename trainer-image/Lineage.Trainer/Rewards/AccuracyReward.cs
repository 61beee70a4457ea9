using Lineage.Trainer.Tasks;

namespace Lineage.Trainer.Rewards;

/// <summary>1 when the completion's final answer is correct for its problem, else 0.</summary>
public sealed class AccuracyReward(double tolerance = AnswerVerifier.DefaultTolerance) : IRewardFunction
{
    public string Name => "accuracy";

    public ValueTask<double[]> ScoreAsync(IReadOnlyList<Problem> problems, IReadOnlyList<string> completions, IReadOnlyList<int> completionTokenCounts, CancellationToken ct)
    {
        RewardBatch.CheckShape(problems, completions, completionTokenCounts);
        var scores = new double[completions.Count];
        for (int i = 0; i < scores.Length; i++) scores[i] = AnswerVerifier.IsCorrect(problems[i], completions[i], tolerance) ? 1 : 0;
        return ValueTask.FromResult(scores);
    }
}
