namespace Lineage.Contracts.Config;

/// <summary>
/// Shape of a model trained from scratch (the built-in small models); field names follow
/// Hugging Face config.json. The vocabulary comes from the tokenizer.
/// </summary>
public sealed record ModelInit : IValidated
{
    public int HiddenSize { get; init; } = 256;
    public int NumHiddenLayers { get; init; } = 4;
    public int NumAttentionHeads { get; init; } = 8;
    public int NumKeyValueHeads { get; init; } = 4;
    public int IntermediateSize { get; init; } = 688;
    public int MaxPositionEmbeddings { get; init; } = 512;
    public double RopeTheta { get; init; } = 10000;
    public bool TieWordEmbeddings { get; init; } = true;
    /// <summary>Qwen2-style q/k/v bias.</summary>
    public bool AttentionBias { get; init; }

    public void Validate(Validation v, string path)
    {
        v.Positive(HiddenSize, $"{path}hiddenSize");
        v.Positive(NumHiddenLayers, $"{path}numHiddenLayers");
        v.Positive(NumAttentionHeads, $"{path}numAttentionHeads");
        v.Positive(NumKeyValueHeads, $"{path}numKeyValueHeads");
        v.Require(NumAttentionHeads > 0 && HiddenSize % NumAttentionHeads == 0, $"{path}hiddenSize", "must be divisible by numAttentionHeads");
        v.Require(NumKeyValueHeads > 0 && NumAttentionHeads % NumKeyValueHeads == 0, $"{path}numKeyValueHeads", "must divide numAttentionHeads");
        v.Positive(IntermediateSize, $"{path}intermediateSize");
        v.Positive(MaxPositionEmbeddings, $"{path}maxPositionEmbeddings");
        v.Positive(RopeTheta, $"{path}ropeTheta");
    }
}
