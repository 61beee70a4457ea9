using Lineage.Trainer.Tasks;

namespace Lineage.Trainer.Preferences;

/// <summary>Splits pairs into train and held-out by a stable hash of the prompt, so one prompt never sits on both sides.</summary>
public static class HeldOutPairs
{
    public static (IReadOnlyList<PreferencePair> Train, IReadOnlyList<PreferencePair> HeldOut) Split(IReadOnlyList<PreferencePair> pairs, double fraction)
    {
        var train = new List<PreferencePair>();
        var heldOut = new List<PreferencePair>();
        foreach (var pair in pairs)
            (SplitAssignment.StableHash("pairs:" + pair.Prompt) % 10_000 < fraction * 10_000 ? heldOut : train).Add(pair);
        return (train, heldOut);
    }
}
