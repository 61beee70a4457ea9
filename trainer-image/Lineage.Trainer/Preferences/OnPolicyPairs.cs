using System.Diagnostics;
using Lineage.Contracts.Config;
using Lineage.Trainer.Model;
using Lineage.Trainer.Rewards;
using Lineage.Trainer.Sampling;
using Lineage.Trainer.Tasks;
using static TorchSharp.torch;

namespace Lineage.Trainer.Preferences;

/// <summary>What one round of on-the-fly pair building produced, and the numbers to log about it.</summary>
public sealed record RankedPairs(
    IReadOnlyList<PairTokens> Pairs,
    IReadOnlyList<PreferencePair> Texts,
    int Prompts,
    int TiedPrompts,
    double RewardMean,
    double ChosenRewardMean,
    double RejectedRewardMean,
    double Seconds);

/// <summary>
/// Preference pairs with no human in the loop: the policy samples N completions per prompt with the
/// KV-cache sampler, any reward (rule, reward model or judge) scores them, and the best and worst
/// become a pair. Prompts whose completions all score the same teach nothing and are counted as tied.
/// </summary>
public static class OnPolicyPairs
{
    public static RankedPairs Build(PretrainedModel policy, IReadOnlyList<Problem> problems, int numGenerations, SamplingConfig sampling,
        IRewardFunction reward, Generator generator, CancellationToken ct = default)
    {
        var clock = Stopwatch.StartNew();
        var stop = policy.Stop(sampling);
        var promptIds = problems.Select(policy.PromptIds).ToList();
        var prompts = promptIds.SelectMany(p => Enumerable.Repeat(p, numGenerations)).ToList();
        var completions = Sampler.Generate(policy.Model, prompts, sampling, stop, generator, policy.Tokenizer.PadId);
        var texts = completions.Select(c => policy.Decode(c.Tokens)).ToList();
        var repeated = problems.SelectMany(p => Enumerable.Repeat(p, numGenerations)).ToList();
        ct.ThrowIfCancellationRequested();
        var rewards = reward.ScoreAsync(repeated, texts, completions.Select(c => c.Tokens.Length).ToList(), ct).AsTask().GetAwaiter().GetResult();

        int endOfTurn = policy.Format.EndOfTurn(policy.Tokenizer);
        var pairs = new List<PairTokens>();
        var pairTexts = new List<PreferencePair>();
        double chosenSum = 0, rejectedSum = 0;
        int tied = 0;
        for (int p = 0; p < problems.Count; p++)
        {
            var group = rewards.Skip(p * numGenerations).Take(numGenerations).ToArray();
            if (PairRanking.BestAndWorst(group) is not var (best, worst)) { tied++; continue; }
            int chosen = p * numGenerations + best, rejected = p * numGenerations + worst;
            pairs.Add(new PairTokens(promptIds[p].ToArray(), Ended(completions[chosen], endOfTurn), Ended(completions[rejected], endOfTurn)));
            pairTexts.Add(new PreferencePair(problems[p].Prompt, texts[chosen], texts[rejected], problems[p].Id));
            chosenSum += group[best];
            rejectedSum += group[worst];
        }
        return new RankedPairs(pairs, pairTexts, problems.Count, tied, rewards.Length == 0 ? 0 : rewards.Average(),
            pairs.Count == 0 ? 0 : chosenSum / pairs.Count, pairs.Count == 0 ? 0 : rejectedSum / pairs.Count, clock.Elapsed.TotalSeconds);
    }

    /// <summary>A completion that stopped (eos or a stop string) ends with the end-of-turn token, as in SFT; a truncated one does not.</summary>
    static int[] Ended(Completion completion, int endOfTurn) =>
        completion.Truncated ? completion.Tokens : [.. completion.Tokens, endOfTurn];
}
