using System.Text.Json;
using System.Text.Json.Serialization;

namespace Lineage.Trainer.Checkpoints;

/// <summary>Hugging Face generation_config.json: the decoding defaults shipped with a model (field names as HF writes them).</summary>
public sealed record GenerationConfig
{
    public const string FileName = "generation_config.json";

    [JsonPropertyName("bos_token_id")] public int? BosTokenId { get; init; }
    /// <summary>A number or a list (Llama 3 stops on several ids).</summary>
    [JsonPropertyName("eos_token_id")] public JsonElement? EosTokenId { get; init; }
    [JsonPropertyName("pad_token_id")] public int? PadTokenId { get; init; }
    [JsonPropertyName("do_sample")] public bool? DoSample { get; init; }
    [JsonPropertyName("temperature")] public double? Temperature { get; init; }
    [JsonPropertyName("top_k")] public int? TopK { get; init; }
    [JsonPropertyName("top_p")] public double? TopP { get; init; }
    [JsonPropertyName("max_new_tokens")] public int? MaxNewTokens { get; init; }
    [JsonPropertyName("repetition_penalty")] public double? RepetitionPenalty { get; init; }
    [JsonPropertyName("transformers_version")] public string? TransformersVersion { get; init; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; init; }

    [JsonIgnore]
    public IReadOnlyList<int> EosTokenIds => EosTokenId switch
    {
        { ValueKind: JsonValueKind.Number } e => [e.GetInt32()],
        { ValueKind: JsonValueKind.Array } e => e.EnumerateArray().Select(x => x.GetInt32()).ToList(),
        _ => [],
    };

    static readonly JsonSerializerOptions Json = new() { WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static GenerationConfig Load(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<GenerationConfig>(File.ReadAllText(path), Json) ?? throw new JsonException("empty");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a valid generation_config.json: {e.Message}", e);
        }
    }
}
