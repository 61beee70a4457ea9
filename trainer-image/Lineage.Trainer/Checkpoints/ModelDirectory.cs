using Lineage.Trainer.Model;
using Lineage.Trainer.Tokenization;
using static TorchSharp.torch;

namespace Lineage.Trainer.Checkpoints;

/// <summary>
/// A Hugging Face model directory: config.json, model.safetensors (or shards and their index), tokenizer.json
/// (+ tokenizer_config.json), generation_config.json. The weights are float32 CPU tensors owned by the caller.
/// </summary>
public sealed record ModelDirectory(
    ModelConfig Config,
    Dictionary<string, Tensor> Weights,
    ITextTokenizer Tokenizer,
    GenerationConfig Generation) : IDisposable
{
    public const string ConfigFile = "config.json";

    /// <summary>Reads the whole directory; generation_config.json is optional (defaults from config.json's token ids).</summary>
    public static ModelDirectory Read(string directory)
    {
        if (!Directory.Exists(directory)) throw new DirectoryNotFoundException($"{directory}: model directory not found");
        var config = ModelConfig.Load(Path.Combine(directory, ConfigFile));
        var tokenizer = ByteLevelBpeTokenizer.Load(directory);
        if (tokenizer.VocabSize > config.VocabSize)
            throw new InvalidDataException($"{directory}: tokenizer has {tokenizer.VocabSize} ids but config.json vocab_size is {config.VocabSize}");
        RequireSpecialIds(directory, config, tokenizer);
        string generationPath = Path.Combine(directory, GenerationConfig.FileName);
        var generation = File.Exists(generationPath)
            ? GenerationConfig.Load(generationPath)
            : new GenerationConfig { BosTokenId = config.BosTokenId, EosTokenId = config.EosTokenId, PadTokenId = config.PadTokenId };
        var weights = ShardedCheckpoint.Load(directory);
        return new ModelDirectory(config, weights, tokenizer, generation);
    }

    /// <summary>
    /// config.json's eos and bos ids must be special (added) tokens of tokenizer.json. A tokenizer of another family with
    /// no tokenizer_config.json beside it passes the role names (its eos has a well-known name) and may fit in vocab_size,
    /// but the model's ids then point at an ordinary token of it, or past its end: generation would never stop.
    /// </summary>
    static void RequireSpecialIds(string directory, ModelConfig config, ByteLevelBpeTokenizer tokenizer)
    {
        var added = tokenizer.AddedTokens.ToDictionary(t => t.Id, t => t.Content);
        var ids = config.EosTokenIds.Select(id => ("eos_token_id", id));
        if (config.BosTokenId is { } bos) ids = ids.Append(("bos_token_id", bos));
        foreach (var (field, id) in ids)
        {
            if (added.ContainsKey(id)) continue;
            string what = id < 0 || id >= tokenizer.VocabSize
                ? $"past the end of its {tokenizer.VocabSize} ids"
                : $"an ordinary token ({Quoted(tokenizer.Decode([id]))}), not one of its special tokens ({string.Join(", ", added.OrderBy(a => a.Key).Take(6).Select(a => $"{a.Key} {a.Value}"))}{(added.Count > 6 ? ", …" : "")})";
            throw new InvalidDataException($"{directory}: config.json {field} {id} is {what} in {ByteLevelBpeTokenizer.FileName}: the tokenizer is not this model's");
        }
    }

    static string Quoted(string text) => System.Text.Json.JsonSerializer.Serialize(text);

    /// <summary>
    /// Writes all four parts into <paramref name="directory"/> (created when missing). Weights go in
    /// <paramref name="dtype"/>, sharded when larger than <paramref name="maxShardBytes"/>.
    /// </summary>
    public static void Write(string directory, ModelConfig config, IReadOnlyDictionary<string, Tensor> weights, ITextTokenizer tokenizer,
        GenerationConfig? generation = null, SafetensorsDtype dtype = SafetensorsDtype.F32, long maxShardBytes = long.MaxValue)
    {
        config.Check(Path.Combine(directory, ConfigFile));
        Directory.CreateDirectory(directory);
        ShardedCheckpoint.Save(directory, weights, dtype, maxShardBytes);
        tokenizer.Save(directory);
        generation ??= new GenerationConfig { BosTokenId = tokenizer.BosId, EosTokenId = System.Text.Json.JsonSerializer.SerializeToElement(tokenizer.EosId), PadTokenId = tokenizer.PadId };
        File.WriteAllText(Path.Combine(directory, GenerationConfig.FileName), generation.ToJson());
        // config.json last: a directory with a config.json is complete.
        File.WriteAllText(Path.Combine(directory, ConfigFile), config.ToJson());
    }

    /// <summary>Writes this directory's contents elsewhere (e.g. after training updated the weights in place).</summary>
    public void Write(string directory, SafetensorsDtype dtype = SafetensorsDtype.F32, long maxShardBytes = long.MaxValue) =>
        Write(directory, Config, Weights, Tokenizer, Generation, dtype, maxShardBytes);

    public void Dispose()
    {
        foreach (var t in Weights.Values) t.Dispose();
    }
}
