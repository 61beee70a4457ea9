using Lineage.Trainer.Tokenization;
using Xunit;

namespace Lineage.Trainer.Tests.Tokenization.Interop;

/// <summary>
/// The tokenizer.json files Lineage writes load in Hugging Face's own tokenizers (the JavaScript port, which follows
/// the Rust crate) and give exactly the ids Lineage's tokenizer gives.
/// </summary>
public sealed class HuggingFaceCompatibilityTests : IDisposable
{
    readonly TemporaryDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    static readonly string[] AsciiTexts =
    [
        "Q: 47+85\nA: ",
        "<think>7+5=12, write 2 carry 1\n4+8+1=13</think><answer>132</answer><|endoftext|>",
        "<|im_start|>user\nWhat is 12*34?<|im_end|>\n<|im_start|>assistant\n",
        "  two  spaces,\ttab and trailing space ",
        "the hello ell the's hell<|pad|>",
    ];

    void AssertSameIds(ITextTokenizer tokenizer, IReadOnlyList<string> texts)
    {
        var reference = HuggingFaceTokenizersJs.Encode(_dir.Path, texts);
        for (int i = 0; i < texts.Count; i++) Assert.Equal(reference[i], tokenizer.Encode(texts[i]));
    }

    [Fact]
    public void Built_in_tokenizer_gives_the_same_ids_as_huggingface()
    {
        var tokenizer = BuiltInTokenizer.Create();
        tokenizer.Save(_dir.Path);

        AssertSameIds(tokenizer, AsciiTexts);
    }

    [Fact]
    public void Byte_level_bpe_with_the_gpt2_regex_gives_the_same_ids_as_huggingface()
    {
        var tokenizer = TinyByteLevelBpe.SaveAndLoad(_dir.Path);

        AssertSameIds(tokenizer, [.. AsciiTexts, "héllo wörld €5 the"]);
    }

    [Fact]
    public void Byte_level_bpe_with_a_qwen_split_regex_gives_the_same_ids_as_huggingface()
    {
        const string qwenPattern = @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";
        var tokenizer = TinyByteLevelBpe.SaveAndLoad(_dir.Path, TinyByteLevelBpe.Document(qwenPattern));

        AssertSameIds(tokenizer, [.. AsciiTexts, "123 the THE'S\n\n  x", "héllo wörld €5 the"]);
    }
}
