using Lineage.Trainer.Tokenization;
using Xunit;
using static Lineage.Trainer.Tests.Tokenization.TinyByteLevelBpe;

namespace Lineage.Trainer.Tests.Tokenization;

public sealed class ByteLevelBpeTokenizerTests : IDisposable
{
    readonly TemporaryDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Byte_alphabet_matches_gpt2()
    {
        Assert.Equal('Ġ', ByteLevelAlphabet.Symbol((byte)' '));
        Assert.Equal('Ċ', ByteLevelAlphabet.Symbol((byte)'\n'));
        Assert.Equal('a', ByteLevelAlphabet.Symbol((byte)'a'));
        Assert.Equal('Ń', ByteLevelAlphabet.Symbol(0xAD));
        Assert.Equal('ÿ', ByteLevelAlphabet.Symbol(0xFF));
        Assert.Equal(256, Enumerable.Range(0, 256).Select(b => ByteLevelAlphabet.Symbol((byte)b)).Distinct().Count());
    }

    [Theory]
    [InlineData(" the", new int[] { Gthe })]                          // Ġ t → Ġt, h e → he, Ġt he → Ġthe
    [InlineData("hello", new int[] { He, Ll, 'o' })]                  // "h e" (rank 2) before "l l" (rank 4)
    [InlineData("ell", new int[] { 'e', Ll })]                         // "l l" (rank 4) wins over "e l" (rank 5)
    [InlineData("the hello", new int[] { 't', He, ' ', He, Ll, 'o' })] // the regex splits before the space; no "Ġ h" merge
    [InlineData("a\nb", new int[] { 'a', '\n', 'b' })]
    public void Applies_merges_by_rank_within_regex_words(string text, int[] expected)
    {
        var tokenizer = SaveAndLoad(_dir.Path);

        Assert.Equal(expected, tokenizer.Encode(text));
    }

    [Fact]
    public void Non_ascii_text_becomes_its_utf8_bytes_and_decodes_back()
    {
        var tokenizer = SaveAndLoad(_dir.Path);

        var ids = tokenizer.Encode("é€");

        Assert.Equal(new[] { 0xC3, 0xA9, 0xE2, 0x82, 0xAC }, ids);
        Assert.Equal("é€", tokenizer.Decode(ids));
    }

    [Fact]
    public void Special_tokens_in_text_are_single_ids()
    {
        var tokenizer = SaveAndLoad(_dir.Path);

        var ids = tokenizer.Encode("the<|endoftext|>ell<|pad|>");

        Assert.Equal(new[] { 't', He, EndOfText, 'e', Ll, Pad }, ids);
        Assert.Equal("the<|endoftext|>ell<|pad|>", tokenizer.Decode(ids));
        Assert.Equal("theell", tokenizer.Decode(ids, skipSpecialTokens: true));
    }

    [Fact]
    public void Roles_come_from_tokenizer_config()
    {
        var tokenizer = SaveAndLoad(_dir.Path);

        Assert.Equal(EndOfText, tokenizer.EosId);
        Assert.Equal(Pad, tokenizer.PadId);
        Assert.Null(tokenizer.BosId);
        Assert.Equal(263, tokenizer.VocabSize);
        Assert.Equal(EndOfText, tokenizer.SpecialTokenId("<|endoftext|>"));
        Assert.Null(tokenizer.SpecialTokenId("<|im_start|>"));
    }

    [Fact]
    public void Without_tokenizer_config_the_well_known_eos_is_used_and_pad_falls_back_to_it()
    {
        var document = Document() with { AddedTokens = [new AddedToken(EndOfText, "<|endoftext|>")] };
        ByteLevelBpeTokenizer.FromDocument(document, new SpecialTokenRoles("<|endoftext|>", null, null)).Save(_dir.Path);
        File.Delete(_dir.File(SpecialTokenRoles.ConfigFile));

        var tokenizer = ByteLevelBpeTokenizer.Load(_dir.Path);

        Assert.Equal(EndOfText, tokenizer.EosId);
        Assert.Equal(EndOfText, tokenizer.PadId);
    }

    [Fact]
    public void Decode_and_encode_round_trip_ascii_text()
    {
        var tokenizer = SaveAndLoad(_dir.Path);
        const string text = "Hello, the world!\n  12 + 345 = 357<|endoftext|>";

        Assert.Equal(text, tokenizer.Decode(tokenizer.Encode(text)));
    }

    [Fact]
    public void A_qwen_style_split_pre_tokenizer_loads_and_splits_digits_one_by_one()
    {
        const string qwenPattern = @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";
        var tokenizer = SaveAndLoad(_dir.Path, Document(qwenPattern, nfc: true));

        Assert.Equal(new[] { '1', '2', Gthe }, tokenizer.Encode("12 the"));
        Assert.Equal(new[] { 't', He, '\'', 's' }, tokenizer.Encode("the's"));
    }

    [Fact]
    public void The_saved_file_is_a_huggingface_tokenizer_json()
    {
        SaveAndLoad(_dir.Path);

        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(_dir.File("tokenizer.json")));
        var root = json.RootElement;
        Assert.Equal("BPE", root.GetProperty("model").GetProperty("type").GetString());
        Assert.Equal("ByteLevel", root.GetProperty("decoder").GetProperty("type").GetString());
        Assert.Equal("Split", root.GetProperty("pre_tokenizer").GetProperty("pretokenizers")[0].GetProperty("type").GetString());
        Assert.Equal(5, root.GetProperty("model").GetProperty("merges").GetArrayLength());
        Assert.True(root.GetProperty("added_tokens")[0].GetProperty("special").GetBoolean());
    }
}
