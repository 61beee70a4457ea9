namespace Lineage.Contracts.Config;

/// <summary>
/// How much a model thinks at test time, and how its answer is chosen: one greedy pass, a majority vote over
/// samples (self-consistency), the best of N samples by a ranker, or self-refinement in rounds. Used by
/// `eval`, `sample` and `distill`.
/// </summary>
public sealed record TestTimeConfig : IValidated
{
    public static readonly string[] Strategies = ["greedy", "selfConsistency", "bestOfN", "selfRefine"];

    /// <summary>greedy, selfConsistency (majority vote over samples), bestOfN (the ranker's pick of samples) or
    /// selfRefine (the model critiques and revises its own answer, rounds times). Default greedy.</summary>
    public string Strategy { get; init; } = "greedy";
    /// <summary>Samples per problem for selfConsistency and bestOfN (N). Default 8.</summary>
    public int Samples { get; init; } = 8;
    /// <summary>selfRefine: critique-and-revise rounds after the first answer (K). Default 1.</summary>
    public int Rounds { get; init; } = 1;
    /// <summary>bestOfN: the reward that ranks the samples (a rule such as accuracy, a rewardModel or a judge).</summary>
    public RewardSpec? Ranker { get; init; }
    /// <summary>Sampling of the samples (greedy and selfRefine's first answer decode at temperature 0).</summary>
    public SamplingConfig Sampling { get; init; } = new() { Temperature = 0.8 };

    public void Validate(Validation v, string path)
    {
        v.OneOf(Strategy, Strategies, $"{path}strategy");
        v.InRange(Samples, 1, 1024, $"{path}samples");
        v.InRange(Rounds, 1, 16, $"{path}rounds");
        v.Require(Strategy != "bestOfN" || Ranker is not null, $"{path}ranker", "is required for bestOfN");
        Ranker?.Validate(v, $"{path}ranker.");
        Sampling.Validate(v, $"{path}sampling.");
    }
}
