namespace Lineage.Contracts.Config;

/// <summary>`lineage-trainer eval`: scores a model on held-out problems; writes eval/result.json.</summary>
public sealed record EvalConfig : IValidated
{
    public static readonly string[] Metrics = ["greedy", "majority", "passAtK", "judge", "bestOfN", "selfRefine"];

    public string Model { get; init; } = "";
    public DataConfig Data { get; init; } = new() { Task = "addition", Split = "test", Count = 500 };
    /// <summary>greedy accuracy, majority (maj@k, self-consistency), passAtK (pass@k), judge (mean judge score), bestOfN
    /// (accuracy of the ranker's pick of k) or selfRefine (accuracy after the model revises its answer, rounds times). Default greedy.</summary>
    public string Metric { get; init; } = "greedy";
    /// <summary>Samples per problem for majority / passAtK. Default 8.</summary>
    public int K { get; init; } = 8;
    /// <summary>selfRefine: critique-and-revise rounds after the first answer. Default 1.</summary>
    public int Rounds { get; init; } = 1;
    public SamplingConfig Sampling { get; init; } = new() { Temperature = 0.8 };
    public int BatchSize { get; init; } = 64;
    /// <summary>Judge for metric=judge.</summary>
    public RewardSpec? Judge { get; init; }
    /// <summary>bestOfN: the reward (rule, rewardModel or judge) that picks one of k samples per problem; the score is the picks' verified accuracy.</summary>
    public RewardSpec? Ranker { get; init; }
    /// <summary>Where result.json goes (path or store URI); empty = stdout only.</summary>
    public string? Output { get; init; }

    /// <summary>auto, cpu, cuda or cuda:N (<see cref="DeviceSetting"/>); unset = the LINEAGE_DEVICE variable, else auto.</summary>
    public string? Device { get; init; }

    public void Validate(Validation v, string path)
    {
        DeviceSetting.Validate(v, Device, $"{path}device");
        v.NotEmpty(Model, $"{path}model");
        Data.Validate(v, $"{path}data.");
        v.OneOf(Metric, Metrics, $"{path}metric");
        v.InRange(K, 1, 1024, $"{path}k");
        v.InRange(Rounds, 1, 16, $"{path}rounds");
        Sampling.Validate(v, $"{path}sampling.");
        v.Positive(BatchSize, $"{path}batchSize");
        v.Require(Metric != "judge" || Judge is not null, $"{path}judge", "is required when metric is judge");
        Judge?.Validate(v, $"{path}judge.");
        v.Require(Metric != "bestOfN" || Ranker is not null, $"{path}ranker", "is required when metric is bestOfN");
        Ranker?.Validate(v, $"{path}ranker.");
    }
}
