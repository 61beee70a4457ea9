using Lineage.Trainer.Tasks;

namespace Lineage.Trainer.Rewards;

/// <summary>Shared argument check: a batch whose lists disagree in length is a caller bug, not a zero reward.</summary>
internal static class RewardBatch
{
    public static void CheckShape(IReadOnlyList<Problem> problems, IReadOnlyList<string> completions, IReadOnlyList<int> tokenCounts)
    {
        if (problems.Count != completions.Count || completions.Count != tokenCounts.Count)
            throw new ArgumentException(
                $"reward batch lists differ in length: {problems.Count} problems, {completions.Count} completions, {tokenCounts.Count} token counts");
    }
}
