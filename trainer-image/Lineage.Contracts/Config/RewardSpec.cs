namespace Lineage.Contracts.Config;

/// <summary>One weighted reward term. Rule rewards need no model; rewardModel and judge name one.</summary>
public sealed record RewardSpec : IValidated
{
    public static readonly string[] Names = ["accuracy", "format", "overlong", "regex", "rewardModel", "judge"];
    /// <summary>
    /// judge's model in a Lineage's plan: the lineage's current champion. The Lineage controller replaces it with the
    /// champion's model URI when it breeds the generation; anywhere else it is an error.
    /// </summary>
    public const string ChampionModel = "champion";

    /// <summary>accuracy, format, overlong, regex, rewardModel or judge.</summary>
    public string Name { get; init; } = "";
    public double Weight { get; init; } = 1.0;
    /// <summary>regex: the pattern a completion must match to earn 1.</summary>
    public string? Pattern { get; init; }
    /// <summary>accuracy: relative tolerance for numeric answers. Default 1e-6.</summary>
    public double Tolerance { get; init; } = 1e-6;
    /// <summary>overlong (DAPO soft penalty): length budget and the buffer before it where the penalty ramps.</summary>
    public int MaxLength { get; init; } = 256;
    public int Buffer { get; init; } = 64;
    /// <summary>rewardModel / judge: model directory or store URI; in a Lineage's plan, judge may name <c>champion</c>.</summary>
    public string? Model { get; init; }
    /// <summary>judge: the constitution the judge applies.</summary>
    public List<string> Principles { get; init; } = [];
    /// <summary>judge: judgments averaged per candidate. Default 1.</summary>
    public int Samples { get; init; } = 1;
    /// <summary>judge: top of the score scale the judge writes (score / max is the reward). Default 10.</summary>
    public int MaxScore { get; init; } = 10;
    public SamplingConfig? Sampling { get; init; }

    public void Validate(Validation v, string path)
    {
        v.OneOf(Name, Names, $"{path}name");
        v.Require(double.IsFinite(Weight), $"{path}weight", "must be finite");
        v.Require(Name != "regex" || !string.IsNullOrEmpty(Pattern), $"{path}pattern", "is required for the regex reward");
        v.Require(Name is not ("rewardModel" or "judge") || !string.IsNullOrEmpty(Model), $"{path}model", $"is required for the {Name} reward");
        v.Require(Model != ChampionModel, $"{path}model",
            "'champion' names a Lineage's current champion and is resolved only in a Lineage's plan; here name a model URI");
        v.Require(Name != "judge" || Principles.Count > 0, $"{path}principles", "the judge needs at least one principle");
        v.Positive(MaxLength, $"{path}maxLength");
        v.NonNegative(Buffer, $"{path}buffer");
        v.InRange(Samples, 1, 64, $"{path}samples");
        v.Positive(MaxScore, $"{path}maxScore");
        Sampling?.Validate(v, $"{path}sampling.");
    }
}
