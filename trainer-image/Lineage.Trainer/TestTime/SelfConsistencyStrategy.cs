using Lineage.Contracts.Config;
using Lineage.Trainer.Model;
using Lineage.Trainer.Tasks;

namespace Lineage.Trainer.TestTime;

/// <summary>
/// Self-consistency (Wang et al., 2022): N samples per problem and a <see cref="MajorityVote"/> over their answers. The
/// chosen candidate is the first sample that gave the voted answer; its share is the vote share. No labels needed.
/// </summary>
public sealed class SelfConsistencyStrategy(int samples, SamplingConfig sampling, int batchSize, long seed) : ITestTimeStrategy
{
    readonly CandidateSampler sampler = new(batchSize, seed);

    public string Name => "selfConsistency";

    public IReadOnlyList<Solution> Solve(PretrainedModel model, IReadOnlyList<Problem> problems, CancellationToken ct = default)
    {
        var candidates = sampler.Sample(model, problems.Select(model.PromptIds).ToList(), samples, sampling, ct);
        return problems.Select((p, i) => Decide(p, candidates[i])).ToList();
    }

    /// <summary>The vote over <paramref name="candidates"/> as a solution (pure).</summary>
    public static Solution Decide(Problem problem, IReadOnlyList<Candidate> candidates)
    {
        var vote = MajorityVote.Of(candidates.Select(c => c.Answer));
        int chosen = vote.Answer is null ? 0 : candidates.ToList().FindIndex(c => MajorityVote.Agrees(vote, c.Answer));
        return new Solution(problem, candidates, chosen, vote.Answer is null ? null : candidates[chosen].Answer);
    }

    public void Dispose() => sampler.Dispose();
}
