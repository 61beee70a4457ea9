using Lineage.Contracts.Config;
using Lineage.Trainer.Model;
using Lineage.Trainer.Tasks;

namespace Lineage.Trainer.TestTime;

/// <summary>One greedy completion per problem: the baseline every other strategy is measured against.</summary>
public sealed class GreedyStrategy(SamplingConfig sampling, int batchSize) : ITestTimeStrategy
{
    readonly SamplingConfig greedy = sampling with { Temperature = 0 };
    readonly CandidateSampler sampler = new(batchSize, sampling.Seed);

    public string Name => "greedy";

    public IReadOnlyList<Solution> Solve(PretrainedModel model, IReadOnlyList<Problem> problems, CancellationToken ct = default)
    {
        var candidates = sampler.Sample(model, problems.Select(model.PromptIds).ToList(), 1, greedy, ct);
        return problems.Select((p, i) => new Solution(p, candidates[i], 0, candidates[i][0].Answer)).ToList();
    }

    public void Dispose() => sampler.Dispose();
}
