using Lineage.Trainer.Checkpoints;
using Lineage.Trainer.Model;
using Lineage.Trainer.Tokenization;
using Xunit;
using static TorchSharp.torch;

namespace Lineage.Trainer.Tests.Checkpoints;

public sealed class ModelDirectoryTests : IDisposable
{
    readonly TemporaryDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    static ModelConfig Config(int vocab) => new()
    {
        VocabSize = vocab, HiddenSize = 8, IntermediateSize = 16, NumHiddenLayers = 1, NumAttentionHeads = 2, NumKeyValueHeads = 1,
        TieWordEmbeddings = true,
    };

    static Dictionary<string, Tensor> Weights(int vocab)
    {
        var generator = new Generator(11);
        return new Dictionary<string, Tensor>
        {
            ["model.embed_tokens.weight"] = randn([vocab, 8], generator: generator),
            ["model.layers.0.self_attn.q_proj.weight"] = randn([8, 8], generator: generator),
            ["model.norm.weight"] = ones(8),
        };
    }

    [Fact]
    public void Written_directory_reads_back_config_weights_tokenizer_and_generation_config()
    {
        var tokenizer = BuiltInTokenizer.Create();
        var weights = Weights(tokenizer.VocabSize);

        ModelDirectory.Write(_dir.Path, Config(tokenizer.VocabSize), weights, tokenizer);
        using var read = ModelDirectory.Read(_dir.Path);

        Assert.Equal(
            ["config.json", "generation_config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json"],
            Directory.GetFiles(_dir.Path).Select(Path.GetFileName).Order());
        Assert.Equal(tokenizer.VocabSize, read.Config.VocabSize);
        Assert.True(read.Config.TieWordEmbeddings);
        foreach (var (name, tensor) in weights) TensorAssert.Identical(tensor, read.Weights[name], name);
        Assert.Equal(tokenizer.Encode("<think>1+2</think>"), read.Tokenizer.Encode("<think>1+2</think>"));
        Assert.Equal([tokenizer.EosId], read.Generation.EosTokenIds);
        Assert.Equal(tokenizer.PadId, read.Generation.PadTokenId);
    }

    [Fact]
    public void Sharded_bf16_directory_reads_back_the_bf16_rounded_weights()
    {
        var tokenizer = BuiltInTokenizer.Create();
        var weights = Weights(tokenizer.VocabSize);

        ModelDirectory.Write(_dir.Path, Config(tokenizer.VocabSize), weights, tokenizer, dtype: SafetensorsDtype.BF16, maxShardBytes: 1024);
        using var read = ModelDirectory.Read(_dir.Path);

        Assert.True(File.Exists(_dir.File(ShardedCheckpoint.IndexFile)));
        foreach (var (name, tensor) in weights)
            TensorAssert.Identical(tensor.to(ScalarType.BFloat16).to(ScalarType.Float32), read.Weights[name], name);
    }

    [Fact]
    public void A_tokenizer_larger_than_the_embedding_is_an_error()
    {
        var tokenizer = BuiltInTokenizer.Create();
        ModelDirectory.Write(_dir.Path, Config(50), Weights(50), tokenizer);

        var error = Assert.Throws<InvalidDataException>(() => ModelDirectory.Read(_dir.Path));

        Assert.Contains($"tokenizer has {tokenizer.VocabSize} ids but config.json vocab_size is 50", error.Message);
    }

    [Fact]
    public void Config_eos_and_bos_ids_must_be_special_tokens_of_the_tokenizer()
    {
        var tokenizer = BuiltInTokenizer.Create();
        int vocab = tokenizer.VocabSize + 16;
        int ordinary = tokenizer.Encode("7").Single();
        var eos = System.Text.Json.JsonSerializer.SerializeToElement(tokenizer.EosId);

        ModelDirectory.Write(_dir.Path, Config(vocab) with { EosTokenId = eos, BosTokenId = tokenizer.BosId }, Weights(vocab), tokenizer);
        using (ModelDirectory.Read(_dir.Path)) { } // the model's own ids pass

        ModelDirectory.Write(_dir.Path, Config(vocab) with { EosTokenId = System.Text.Json.JsonSerializer.SerializeToElement(new[] { tokenizer.EosId, ordinary }) }, Weights(vocab), tokenizer);
        var error = Assert.Throws<InvalidDataException>(() => ModelDirectory.Read(_dir.Path));
        Assert.StartsWith($"{_dir.Path}: config.json eos_token_id {ordinary} is an ordinary token (\"7\"), not one of its special tokens (", error.Message);
        Assert.EndsWith("in tokenizer.json: the tokenizer is not this model's", error.Message);

        ModelDirectory.Write(_dir.Path, Config(vocab) with { EosTokenId = eos, BosTokenId = tokenizer.VocabSize + 3 }, Weights(vocab), tokenizer);
        error = Assert.Throws<InvalidDataException>(() => ModelDirectory.Read(_dir.Path));
        Assert.Equal($"{_dir.Path}: config.json bos_token_id {tokenizer.VocabSize + 3} is past the end of its {tokenizer.VocabSize} ids in tokenizer.json: the tokenizer is not this model's", error.Message);
    }

    [Fact]
    public void A_directory_without_config_json_is_reported_by_path()
    {
        BuiltInTokenizer.Create().Save(_dir.Path);

        var error = Assert.Throws<FileNotFoundException>(() => ModelDirectory.Read(_dir.Path));

        Assert.Contains(_dir.File("config.json"), error.Message);
    }

    [Fact]
    public void Generation_config_lists_of_eos_ids_are_read()
    {
        var tokenizer = BuiltInTokenizer.Create();
        ModelDirectory.Write(_dir.Path, Config(tokenizer.VocabSize), Weights(tokenizer.VocabSize), tokenizer);
        File.WriteAllText(_dir.File(GenerationConfig.FileName), """{"eos_token_id":[97,103],"temperature":0.6,"top_p":0.9}""");

        using var read = ModelDirectory.Read(_dir.Path);

        Assert.Equal([97, 103], read.Generation.EosTokenIds);
        Assert.Equal(0.6, read.Generation.Temperature);
    }
}
