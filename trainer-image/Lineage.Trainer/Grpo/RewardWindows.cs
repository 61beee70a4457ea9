using Lineage.Contracts.Store;

namespace Lineage.Trainer.Grpo;

/// <summary>
/// The run's training reward at its start and at its end for progress.json (<see cref="Progress.RewardFirst"/>,
/// <see cref="Progress.RewardLast"/>): the step rewards of the first and of the latest <paramref name="size"/> steps.
/// Both windows go into every checkpoint, so a resumed run reports what an uninterrupted one would.
/// </summary>
public sealed class RewardWindows(IEnumerable<double>? first = null, IEnumerable<double>? last = null, int size = Progress.RewardWindow)
{
    readonly List<double> first = [.. first ?? []];
    readonly Queue<double> last = new(last ?? []);

    /// <summary>The rewards of the run's first steps (at most the window).</summary>
    public IReadOnlyList<double> First => [.. first];

    /// <summary>The rewards of the latest steps (at most the window), oldest first.</summary>
    public IReadOnlyList<double> Last => [.. last];

    public void Add(double reward)
    {
        if (first.Count < size) first.Add(reward);
        last.Enqueue(reward);
        while (last.Count > size) last.Dequeue();
    }

    /// <summary>Sets rewardFirst and rewardLast in <paramref name="metrics"/> (nothing before the first step).</summary>
    public void Report(IDictionary<string, double> metrics)
    {
        if (first.Count == 0 || last.Count == 0) return;
        metrics[Progress.RewardFirst] = first.Average();
        metrics[Progress.RewardLast] = last.Average();
    }
}
