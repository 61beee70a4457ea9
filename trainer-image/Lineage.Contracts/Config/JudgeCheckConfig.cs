namespace Lineage.Contracts.Config;

/// <summary>
/// GRPO with a judge term: qualify the judge before it is used. The policy samples <see cref="Samples"/> completions for
/// each of <see cref="Problems"/> held-out problems with known answers; the judge's pick (best-of-N by its score) must be
/// right more often than a random sample (the mean verified accuracy of the N) by more than <see cref="Margin"/>, else the
/// run drops the judge term and trains on the verifiable reward. A Lineage turns it on for every <c>judge: champion</c> term.
/// </summary>
public sealed record JudgeCheckConfig : IValidated
{
    /// <summary>Run the check. Default true (set false to use the judge unchecked).</summary>
    public bool Enabled { get; init; } = true;
    /// <summary>Held-out problems the judge picks on. Default 32.</summary>
    public int Problems { get; init; } = 32;
    /// <summary>Policy samples per problem the judge picks from (N of best-of-N). Default 8.</summary>
    public int Samples { get; init; } = 8;
    /// <summary>Pick accuracy must exceed the random sample's by more than this (absolute, 0–1). Default 0.</summary>
    public double Margin { get; init; }
    /// <summary>Held-out problems; default the run's eval data, else the test split of its built-in training task.</summary>
    public DataConfig? Data { get; init; }
    /// <summary>Fine-tune the judge on the verifier's labels of the policy's own samples before qualifying it; null = no training.</summary>
    public JudgeTrainConfig? Train { get; init; }
    /// <summary>Seeds the policy's samples for the check (and the judge training's data order). Default 1.</summary>
    public long Seed { get; init; } = 1;

    public void Validate(Validation v, string path)
    {
        v.InRange(Problems, 1, 100_000, $"{path}problems");
        v.InRange(Samples, 2, 1024, $"{path}samples");
        v.InRange(Margin, 0, 1, $"{path}margin");
        Data?.Validate(v, $"{path}data.");
        Train?.Validate(v, $"{path}train.");
    }
}
