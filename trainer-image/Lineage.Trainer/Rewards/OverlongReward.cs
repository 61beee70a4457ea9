using Lineage.Trainer.Tasks;

namespace Lineage.Trainer.Rewards;

/// <summary>
/// DAPO's soft overlong punishment on the completion's token count: 0 up to maxLength − buffer,
/// a linear ramp down to −1 at maxLength, −1 beyond. It discourages rambling without the cliff of
/// a hard cut-off.
/// </summary>
public sealed class OverlongReward : IRewardFunction
{
    readonly int _maxLength;
    readonly int _buffer;

    public OverlongReward(int maxLength, int buffer)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxLength);
        ArgumentOutOfRangeException.ThrowIfNegative(buffer);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(buffer, maxLength);
        (_maxLength, _buffer) = (maxLength, buffer);
    }

    public string Name => "overlong";

    public static double Penalty(int length, int maxLength, int buffer)
    {
        int free = maxLength - buffer;
        if (length <= free) return 0;
        if (length <= maxLength) return (double)(free - length) / buffer;
        return -1;
    }

    public ValueTask<double[]> ScoreAsync(IReadOnlyList<Problem> problems, IReadOnlyList<string> completions, IReadOnlyList<int> completionTokenCounts, CancellationToken ct)
    {
        RewardBatch.CheckShape(problems, completions, completionTokenCounts);
        var scores = new double[completions.Count];
        for (int i = 0; i < scores.Length; i++) scores[i] = Penalty(completionTokenCounts[i], _maxLength, _buffer);
        return ValueTask.FromResult(scores);
    }
}
