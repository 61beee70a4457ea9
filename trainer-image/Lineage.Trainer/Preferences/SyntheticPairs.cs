using Lineage.Trainer.Tasks;

namespace Lineage.Trainer.Preferences;

/// <summary>
/// Preference pairs for the built-in tasks with no external data: chosen = the correct, well-formed
/// trace; rejected = the same problem with one <see cref="Flaw"/> drawn from <see cref="FlawMix"/>, seeded.
/// </summary>
public static class SyntheticPairs
{
    public static IReadOnlyList<PreferencePair> From(IReadOnlyList<Problem> problems, long seed)
    {
        var random = new Random(unchecked((int)(seed * 1_000_003 + 0x5eed)));
        var pairs = new List<PreferencePair>(problems.Count);
        foreach (var problem in problems)
        {
            var flaw = FlawMix.Draw(random);
            pairs.Add(new PreferencePair(problem.Prompt, problem.Completion, FlawedCompletion.With(problem, flaw, random), problem.Id));
        }
        return pairs;
    }
}
