using Lineage.Contracts.Config;
using Lineage.Trainer.Model;
using Lineage.Trainer.Rewards;
using Lineage.Trainer.Tasks;

namespace Lineage.Trainer.TestTime;

/// <summary>
/// Best-of-N: N samples per problem, scored by a ranker (a rule such as the verifier, a reward model or a judge) and
/// the highest picked (<see cref="CandidateRanking"/>). A judge's unparsable verdicts are recorded per candidate.
/// </summary>
public sealed class BestOfNStrategy(int samples, SamplingConfig sampling, IRewardFunction ranker, int batchSize, long seed, bool ownsRanker = true)
    : ITestTimeStrategy
{
    readonly CandidateSampler sampler = new(batchSize, seed);

    public string Name => "bestOfN";

    public IRewardFunction Ranker => ranker;

    public IReadOnlyList<Solution> Solve(PretrainedModel model, IReadOnlyList<Problem> problems, CancellationToken ct = default)
    {
        var candidates = sampler.Sample(model, problems.Select(model.PromptIds).ToList(), samples, sampling, ct);
        return Rank(problems, candidates, ct);
    }

    /// <summary>Ranks candidates already sampled (candidates[p] are problems[p]'s, <c>samples</c> each) and picks per problem.</summary>
    public IReadOnlyList<Solution> Rank(IReadOnlyList<Problem> problems, IReadOnlyList<IReadOnlyList<Candidate>> candidates, CancellationToken ct = default)
    {
        if (candidates.Count != problems.Count || candidates.Any(c => c.Count != samples))
            throw new ArgumentException($"expected {samples} candidates for each of {problems.Count} problems", nameof(candidates));
        var flat = candidates.SelectMany(c => c).ToList();
        var repeated = problems.SelectMany(p => Enumerable.Repeat(p, samples)).ToList();
        var rewards = ranker.ScoreAsync(repeated, flat.Select(c => c.Text).ToList(), flat.Select(c => c.Tokens).ToList(), ct).AsTask().GetAwaiter().GetResult();
        var judged = ranker is JudgeReward judge ? Parsed(judge.LastVerdicts, flat.Count) : null;
        return problems.Select((p, i) => Decide(p, candidates[i], rewards.AsSpan(i * samples, samples).ToArray(),
            judged?.Skip(i * samples).Take(samples).ToList())).ToList();
    }

    /// <summary>The ranker's pick as a solution (pure).</summary>
    public static Solution Decide(Problem problem, IReadOnlyList<Candidate> candidates, IReadOnlyList<double> rewards, IReadOnlyList<bool>? judged = null)
    {
        int chosen = CandidateRanking.Pick(rewards);
        return new Solution(problem, candidates, chosen, candidates[chosen].Answer, rewards, judged);
    }

    /// <summary>Per candidate: did every one of its judgments parse (the verdicts are candidate-major).</summary>
    static bool[] Parsed(IReadOnlyList<JudgeVerdict> verdicts, int candidates)
    {
        int each = verdicts.Count / candidates;
        return Enumerable.Range(0, candidates).Select(c => verdicts.Skip(c * each).Take(each).All(v => v.Parsed)).ToArray();
    }

    public void Dispose()
    {
        sampler.Dispose();
        if (ownsRanker) (ranker as IDisposable)?.Dispose();
    }
}
