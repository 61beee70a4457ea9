using Lineage.Contracts.Config;
using Lineage.Trainer.Tasks;

namespace Lineage.Trainer.Rewards;

/// <summary>One term of a composite: the function, its weight, and the unique key its values are reported under.</summary>
public sealed record WeightedReward(string Key, IRewardFunction Function, double Weight);

/// <summary>Unweighted values of one term, per completion.</summary>
public sealed record RewardTermScores(string Key, double Weight, double[] Values);

/// <summary>The weighted total per completion and every term's own values (for per-reward metrics).</summary>
public sealed record RewardScores(double[] Total, IReadOnlyList<RewardTermScores> Terms);

/// <summary>Sum of weighted rewards: total[i] = Σ weight_k · reward_k[i].</summary>
public sealed class CompositeReward : IRewardFunction
{
    public CompositeReward(IReadOnlyList<WeightedReward> terms)
    {
        if (terms.Count == 0) throw new ArgumentException("a composite reward needs at least one term", nameof(terms));
        var duplicate = terms.GroupBy(t => t.Key).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new ArgumentException($"reward key '{duplicate.Key}' is used twice", nameof(terms));
        Terms = terms;
    }

    public IReadOnlyList<WeightedReward> Terms { get; }

    public string Name => "total";

    /// <summary>
    /// Builds every term with <see cref="RewardFactory"/>; errors name the spec as <c>{field}[i]</c>.
    /// A name used twice is reported as name, name_2, … so per-reward metrics stay distinct.
    /// </summary>
    public static CompositeReward FromSpecs(IReadOnlyList<RewardSpec> specs, string field = "rewards", Func<RewardSpec, IRewardFunction>? modelRewards = null,
        TorchSharp.torch.Device? device = null)
    {
        if (specs.Count == 0) throw new ConfigError($"{field}: at least one reward is required");
        var terms = new List<WeightedReward>();
        var seen = new Dictionary<string, int>();
        for (int i = 0; i < specs.Count; i++)
        {
            var function = RewardFactory.Create(specs[i], $"{field}[{i}]", modelRewards, device);
            int occurrence = seen[specs[i].Name] = seen.GetValueOrDefault(specs[i].Name) + 1;
            string key = occurrence == 1 ? specs[i].Name : $"{specs[i].Name}_{occurrence}";
            terms.Add(new WeightedReward(key, function, specs[i].Weight));
        }
        return new CompositeReward(terms);
    }

    /// <summary>Running counts of the terms that keep them (e.g. judge/judged, judge/unparsable), keyed {term}/{name}, for metrics.</summary>
    public Dictionary<string, double> Counts()
    {
        var counts = new Dictionary<string, double>();
        foreach (var term in Terms)
            if (term.Function is IReportsCounts counting)
                foreach (var (name, value) in counting.Counts) counts[$"{term.Key}/{name}"] = value;
        return counts;
    }

    public async ValueTask<double[]> ScoreAsync(IReadOnlyList<Problem> problems, IReadOnlyList<string> completions, IReadOnlyList<int> completionTokenCounts, CancellationToken ct) =>
        (await ScoreTermsAsync(problems, completions, completionTokenCounts, ct).ConfigureAwait(false)).Total;

    /// <summary>Scores term by term (in order, so model-based terms never compete for the CPU) and sums.</summary>
    public async ValueTask<RewardScores> ScoreTermsAsync(IReadOnlyList<Problem> problems, IReadOnlyList<string> completions, IReadOnlyList<int> completionTokenCounts, CancellationToken ct)
    {
        RewardBatch.CheckShape(problems, completions, completionTokenCounts);
        var total = new double[completions.Count];
        var scored = new List<RewardTermScores>(Terms.Count);
        foreach (var term in Terms)
        {
            ct.ThrowIfCancellationRequested();
            var values = await term.Function.ScoreAsync(problems, completions, completionTokenCounts, ct).ConfigureAwait(false);
            if (values.Length != total.Length)
                throw new InvalidOperationException($"reward '{term.Key}' returned {values.Length} scores for {total.Length} completions");
            for (int i = 0; i < total.Length; i++) total[i] += term.Weight * values[i];
            scored.Add(new RewardTermScores(term.Key, term.Weight, values));
        }
        return new RewardScores(total, scored);
    }
}
