using Lineage.Contracts.Config;
using Lineage.Trainer.Model;
using Lineage.Trainer.Preferences;
using Lineage.Trainer.Tasks;
using Lineage.Trainer.Tokenization;

namespace Lineage.Trainer.Tests.Preferences;

/// <summary>Tiny models and an easy preference (well-formed trace over a broken or cut-off one) for the RM and DPO tests.</summary>
static class PreferenceFixtures
{
    public static readonly ModelInit TinyInit = new()
    {
        HiddenSize = 32, NumHiddenLayers = 2, NumAttentionHeads = 4, NumKeyValueHeads = 2, IntermediateSize = 64, MaxPositionEmbeddings = 128,
    };

    /// <summary>Chosen = the correct trace; rejected = the same problem with its format broken or cut off.</summary>
    public static List<PreferencePair> EasyPairs(int count, int seed)
    {
        var random = new Random(seed);
        return ProblemSet.Load(new DataConfig { Task = "addition", Digits = 1, Count = count, Seed = seed })
            .Select(p => new PreferencePair(p.Prompt, p.Completion, FlawedCompletion.With(p, random.Next(2) == 0 ? Flaw.BrokenFormat : Flaw.Truncated, random), p.Id))
            .Where(p => p.Chosen != p.Rejected)
            .ToList();
    }

    public static string SavePolicy(string directory, long seed = 3)
    {
        using var model = PretrainedModel.Create(TinyInit, BuiltInTokenizer.Create(), seed);
        model.Save(directory);
        return directory;
    }
}
