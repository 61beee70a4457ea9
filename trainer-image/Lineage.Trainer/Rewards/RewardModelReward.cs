using Lineage.Trainer.Model;
using Lineage.Trainer.Tasks;

namespace Lineage.Trainer.Rewards;

/// <summary>
/// A learned reward: the Bradley–Terry reward model's scalar for (prompt, completion), unsquashed
/// (as TRL's GRPO uses reward-model logits; group advantages remove its offset and scale).
/// </summary>
public sealed class RewardModelReward(PretrainedRewardModel model, int batchSize = 32, bool ownsModel = false) : IRewardFunction, IDisposable
{
    public string Name => "rewardModel";

    public ValueTask<double[]> ScoreAsync(IReadOnlyList<Problem> problems, IReadOnlyList<string> completions, IReadOnlyList<int> completionTokenCounts, CancellationToken ct)
    {
        RewardBatch.CheckShape(problems, completions, completionTokenCounts);
        var items = problems.Zip(completions, (p, c) => (p.Prompt, c)).ToList();
        return ValueTask.FromResult(model.Score(items, batchSize));
    }

    public void Dispose()
    {
        if (ownsModel) model.Dispose();
    }
}
