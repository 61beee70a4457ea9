using Lineage.Trainer.Tasks;

namespace Lineage.Trainer.Rewards;

/// <summary>
/// Scores a batch of completions, one per problem (a GRPO group repeats its problem G times).
/// Batch-shaped so model-based rewards can run one forward pass over the whole batch.
/// </summary>
public interface IRewardFunction
{
    string Name { get; }

    ValueTask<double[]> ScoreAsync(
        IReadOnlyList<Problem> problems,
        IReadOnlyList<string> completions,
        IReadOnlyList<int> completionTokenCounts,
        CancellationToken ct);
}
