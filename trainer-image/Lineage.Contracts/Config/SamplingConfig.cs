namespace Lineage.Contracts.Config;

/// <summary>How completions are drawn. Temperature 0 is greedy.</summary>
public sealed record SamplingConfig : IValidated
{
    /// <summary>0 = greedy. Default 1.0 (GRPO rollouts need diversity).</summary>
    public double Temperature { get; init; } = 1.0;
    /// <summary>Keep the k most likely tokens; 0 = off.</summary>
    public int TopK { get; init; }
    /// <summary>Nucleus sampling mass; 1 = off.</summary>
    public double TopP { get; init; } = 1.0;
    /// <summary>Completion budget in tokens. Default 256.</summary>
    public int MaxNewTokens { get; init; } = 256;
    /// <summary>A sequence stops when its completion ends with one of these. Default &lt;/answer&gt;.</summary>
    public List<string> Stop { get; init; } = ["</answer>"];
    /// <summary>Sampling seed. Default 0.</summary>
    public long Seed { get; init; }

    public void Validate(Validation v, string path)
    {
        v.NonNegative(Temperature, $"{path}temperature");
        v.NonNegative(TopK, $"{path}topK");
        v.Require(TopP > 0 && TopP <= 1, $"{path}topP", $"must be in (0, 1] (got {TopP})");
        v.InRange(MaxNewTokens, 1, 32768, $"{path}maxNewTokens");
    }
}
