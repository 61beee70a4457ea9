using System.Text.Json;
using System.Text.Json.Serialization;

namespace Lineage.Trainer.Model;

/// <summary>
/// Hugging Face config.json for the Llama / Qwen2 decoder family, field names as HF writes them,
/// so a real Qwen2.5 or Llama-3.2 directory loads and our tiny models load in transformers.
/// </summary>
public sealed record ModelConfig
{
    [JsonPropertyName("architectures")] public List<string> Architectures { get; init; } = ["LlamaForCausalLM"];
    [JsonPropertyName("model_type")] public string ModelType { get; init; } = "llama";
    [JsonPropertyName("vocab_size")] public int VocabSize { get; init; }
    [JsonPropertyName("hidden_size")] public int HiddenSize { get; init; } = 256;
    [JsonPropertyName("intermediate_size")] public int IntermediateSize { get; init; } = 688;
    [JsonPropertyName("num_hidden_layers")] public int NumHiddenLayers { get; init; } = 4;
    [JsonPropertyName("num_attention_heads")] public int NumAttentionHeads { get; init; } = 8;
    [JsonPropertyName("num_key_value_heads")] public int? NumKeyValueHeads { get; init; }
    [JsonPropertyName("head_dim")] public int? HeadDim { get; init; }
    [JsonPropertyName("max_position_embeddings")] public int MaxPositionEmbeddings { get; init; } = 512;
    [JsonPropertyName("rms_norm_eps")] public double RmsNormEps { get; init; } = 1e-6;
    [JsonPropertyName("rope_theta")] public double RopeTheta { get; init; } = 10000;
    [JsonPropertyName("tie_word_embeddings")] public bool TieWordEmbeddings { get; init; }
    /// <summary>Llama's name for q/k/v(/o) bias; Qwen2 always has q/k/v bias and no o bias.</summary>
    [JsonPropertyName("attention_bias")] public bool? AttentionBias { get; init; }
    [JsonPropertyName("hidden_act")] public string HiddenAct { get; init; } = "silu";
    [JsonPropertyName("bos_token_id")] public int? BosTokenId { get; init; }
    [JsonPropertyName("eos_token_id")] public JsonElement? EosTokenId { get; init; }
    [JsonPropertyName("pad_token_id")] public int? PadTokenId { get; init; }
    [JsonPropertyName("torch_dtype")] public string TorchDtype { get; init; } = "float32";
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; init; }

    [JsonIgnore] public int KeyValueHeads => NumKeyValueHeads ?? NumAttentionHeads;
    [JsonIgnore] public int HeadSize => HeadDim ?? HiddenSize / NumAttentionHeads;
    [JsonIgnore] public bool IsQwen2 => ModelType == "qwen2";
    /// <summary>q/k/v projections carry a bias (always for Qwen2, when attention_bias for Llama).</summary>
    [JsonIgnore] public bool QkvBias => IsQwen2 || AttentionBias == true;
    /// <summary>o_proj carries a bias (Llama with attention_bias only).</summary>
    [JsonIgnore] public bool OutputBias => !IsQwen2 && AttentionBias == true;

    /// <summary>eos_token_id may be a number or a list (Llama 3); all of them stop generation.</summary>
    [JsonIgnore]
    public IReadOnlyList<int> EosTokenIds => EosTokenId switch
    {
        { ValueKind: JsonValueKind.Number } e => [e.GetInt32()],
        { ValueKind: JsonValueKind.Array } e => e.EnumerateArray().Select(x => x.GetInt32()).ToList(),
        _ => [],
    };

    static readonly JsonSerializerOptions Json = new() { WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static ModelConfig Load(string configJsonPath)
    {
        if (!File.Exists(configJsonPath)) throw new FileNotFoundException($"{configJsonPath}: model config not found", configJsonPath);
        ModelConfig config;
        try
        {
            config = JsonSerializer.Deserialize<ModelConfig>(File.ReadAllText(configJsonPath), Json) ?? throw new JsonException("empty");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{configJsonPath}: not a valid config.json: {e.Message}", e);
        }
        config.Check(configJsonPath);
        return config;
    }

    public void Check(string source)
    {
        var problems = new List<string>();
        if (ModelType is not ("llama" or "qwen2")) problems.Add($"model_type '{ModelType}' is not supported (llama, qwen2)");
        if (VocabSize <= 0) problems.Add("vocab_size must be > 0");
        if (HiddenSize <= 0 || NumAttentionHeads <= 0 || HiddenSize % NumAttentionHeads != 0 && HeadDim is null)
            problems.Add("hidden_size must be a positive multiple of num_attention_heads");
        if (KeyValueHeads <= 0 || NumAttentionHeads % KeyValueHeads != 0) problems.Add("num_key_value_heads must divide num_attention_heads");
        if (NumHiddenLayers <= 0) problems.Add("num_hidden_layers must be > 0");
        if (IntermediateSize <= 0) problems.Add("intermediate_size must be > 0");
        if (HiddenAct != "silu") problems.Add($"hidden_act '{HiddenAct}' is not supported (silu)");
        if (problems.Count > 0) throw new InvalidDataException($"{source}: " + string.Join("; ", problems));
    }
}
