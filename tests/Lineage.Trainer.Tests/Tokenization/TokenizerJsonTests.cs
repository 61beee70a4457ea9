using Lineage.Trainer.Tokenization;
using Xunit;

namespace Lineage.Trainer.Tests.Tokenization;

public sealed class TokenizerJsonTests : IDisposable
{
    readonly TemporaryDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    string Write(string json)
    {
        string path = _dir.File("tokenizer.json");
        File.WriteAllText(path, json);
        return path;
    }

    const string ByteLevel = """{"type":"ByteLevel","add_prefix_space":false,"trim_offsets":false,"use_regex":true}""";

    [Fact]
    public void Reads_string_and_pair_merges_alike()
    {
        string path = Write("""{"added_tokens":[{"id":3,"content":"<|endoftext|>","special":true}],"pre_tokenizer":"""
            + ByteLevel + ""","decoder":""" + ByteLevel
            + ""","model":{"type":"BPE","vocab":{"a":0,"b":1,"ab":2,"abab":4},"merges":["a b",["ab","ab"]]}}""");

        var document = TokenizerJson.Load(path);

        Assert.Equal([("a", "b"), ("ab", "ab")], document.Merges);
        Assert.Equal(TokenizerJson.Gpt2Pattern, document.SplitPattern);
        Assert.Equal("<|endoftext|>", Assert.Single(document.AddedTokens).Content);
    }

    [Theory]
    [InlineData("{ not json", "not valid JSON")]
    [InlineData("""{"model":{"type":"WordPiece","vocab":{}}}""", "model.type 'WordPiece' is not supported")]
    [InlineData("""{"model":{"type":"BPE","vocab":{"a":0},"merges":[]}}""", "only byte-level BPE is supported")]
    [InlineData("""{"decoder":{"type":"ByteLevel"},"model":{"type":"BPE","vocab":{"a":0,"b":1},"merges":["a b"]}}""", "merge 'a b' uses or makes a token missing")]
    [InlineData("""{"decoder":{"type":"ByteLevel"},"model":{"type":"BPE","vocab":{"a":0},"merges":["a b c"]}}""", "is not a pair")]
    [InlineData("""{"decoder":{"type":"ByteLevel"},"model":{"type":"BPE","vocab":{"a":0}},"added_tokens":[{"id":1}]}""", "needs an id and a content")]
    [InlineData("""{"decoder":{"type":"ByteLevel"},"pre_tokenizer":{"type":"Metaspace"},"model":{"type":"BPE","vocab":{"a":0}}}""", "Metaspace")]
    [InlineData("""{"decoder":{"type":"ByteLevel"},"normalizer":{"type":"Lowercase"},"model":{"type":"BPE","vocab":{"a":0}}}""", "normalizer")]
    [InlineData("""{"decoder":{"type":"ByteLevel"}}""", "missing the 'model' object")]
    public void A_bad_tokenizer_json_is_an_error_naming_the_file_and_the_problem(string json, string problem)
    {
        string path = Write(json);

        var error = Assert.Throws<InvalidDataException>(() => TokenizerJson.Load(path));

        Assert.Contains(path, error.Message);
        Assert.Contains(problem, error.Message);
    }

    [Fact]
    public void A_tokenizer_config_naming_an_unknown_eos_is_an_error()
    {
        TinyByteLevelBpe.SaveAndLoad(_dir.Path);
        File.WriteAllText(_dir.File(SpecialTokenRoles.ConfigFile), """{"eos_token":"<|im_end|>"}""");

        var error = Assert.Throws<InvalidDataException>(() => ByteLevelBpeTokenizer.Load(_dir.Path));

        Assert.Contains("tokenizer_config.json: eos_token '<|im_end|>'", error.Message);
    }
}
