using System.Text.Json;
using Lineage.Trainer.Tokenization;
using Xunit;

namespace Lineage.Trainer.Tests.Tokenization;

public sealed class BuiltInTokenizerTests : IDisposable
{
    readonly TemporaryDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Every_character_is_one_id_and_every_special_token_is_one_id()
    {
        var tokenizer = BuiltInTokenizer.Create();
        const string text = "Q: 47+85\nA: <think>7+5=12 carry 1</think><answer>132</answer><|endoftext|>";

        var ids = tokenizer.Encode(text);

        int specials = 4 + 1;
        int characters = text.Length - "<think></think><answer></answer><|endoftext|>".Length;
        Assert.Equal(characters + specials, ids.Count);
        Assert.Equal(tokenizer.SpecialTokenId("<think>"), ids[12]);
        Assert.Equal(tokenizer.EosId, ids[^1]);
        Assert.Equal(text, tokenizer.Decode(ids));
    }

    [Fact]
    public void Saved_tokenizer_loads_back_through_the_file_loader_with_the_same_ids()
    {
        var original = BuiltInTokenizer.Create();
        const string text = "<|im_start|>user\nWhat is 12*34?<|im_end|>\n\t~`{}|\\\"'<|pad|>";

        original.Save(_dir.Path);
        var loaded = ByteLevelBpeTokenizer.Load(_dir.Path);

        Assert.Equal(original.Encode(text), loaded.Encode(text));
        Assert.Equal(text, loaded.Decode(loaded.Encode(text)));
        Assert.Equal((original.VocabSize, original.EosId, original.PadId, original.BosId), (loaded.VocabSize, loaded.EosId, loaded.PadId, loaded.BosId));
    }

    [Fact]
    public void The_saved_file_is_a_merge_free_byte_level_bpe_with_special_added_tokens()
    {
        BuiltInTokenizer.Create().Save(_dir.Path);

        using var json = JsonDocument.Parse(File.ReadAllText(_dir.File("tokenizer.json")));
        var model = json.RootElement.GetProperty("model");
        Assert.Equal("BPE", model.GetProperty("type").GetString());
        Assert.Equal(0, model.GetProperty("merges").GetArrayLength());
        Assert.Equal(97, model.GetProperty("vocab").EnumerateObject().Count());
        Assert.Equal(0, model.GetProperty("vocab").GetProperty("Ġ").GetInt32());
        var added = json.RootElement.GetProperty("added_tokens").EnumerateArray().ToList();
        Assert.Equal(BuiltInTokenizer.SpecialTokens, added.Select(t => t.GetProperty("content").GetString()));
        Assert.All(added, t => Assert.True(t.GetProperty("special").GetBoolean()));
        using var config = JsonDocument.Parse(File.ReadAllText(_dir.File("tokenizer_config.json")));
        Assert.Equal("<|endoftext|>", config.RootElement.GetProperty("eos_token").GetString());
    }

    [Fact]
    public void Characters_outside_the_alphabet_are_refused_rather_than_dropped()
    {
        var error = Assert.Throws<ArgumentException>(() => BuiltInTokenizer.Create().Encode("3 × 4"));

        Assert.Contains("'×' (U+00D7)", error.Message);
    }

    [Fact]
    public void Pad_and_eos_are_distinct()
    {
        var tokenizer = BuiltInTokenizer.Create();

        Assert.NotEqual(tokenizer.EosId, tokenizer.PadId);
        Assert.Equal(105, tokenizer.VocabSize);
    }
}
