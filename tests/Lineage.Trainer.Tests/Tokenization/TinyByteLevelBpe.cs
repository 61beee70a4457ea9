using Lineage.Trainer.Tokenization;

namespace Lineage.Trainer.Tests.Tokenization;

/// <summary>
/// A structurally real byte-level BPE: all 256 byte symbols with id = byte value, five merges, one special token.
/// Ranks: 1 "Ġ t", 2 "h e", 3 "Ġt he", 4 "l l", 5 "e l".
/// </summary>
static class TinyByteLevelBpe
{
    public const int Gt = 256, He = 257, Gthe = 258, Ll = 259, El = 260, EndOfText = 261, Pad = 262;

    public static TokenizerJson Document(string? splitPattern = TokenizerJson.Gpt2Pattern, bool nfc = false)
    {
        var vocab = Enumerable.Range(0, 256).ToDictionary(b => ByteLevelAlphabet.Symbol((byte)b).ToString(), b => b);
        vocab["Ġt"] = Gt;
        vocab["he"] = He;
        vocab["Ġthe"] = Gthe;
        vocab["ll"] = Ll;
        vocab["el"] = El;
        return new TokenizerJson(vocab, [("Ġ", "t"), ("h", "e"), ("Ġt", "he"), ("l", "l"), ("e", "l")],
            [new AddedToken(EndOfText, "<|endoftext|>"), new AddedToken(Pad, "<|pad|>")], splitPattern, nfc);
    }

    /// <summary>Saves the document as tokenizer.json (+ tokenizer_config.json) and loads it back through the file loader.</summary>
    public static ByteLevelBpeTokenizer SaveAndLoad(string directory, TokenizerJson? document = null)
    {
        ByteLevelBpeTokenizer.FromDocument(document ?? Document(), new SpecialTokenRoles("<|endoftext|>", "<|pad|>", null)).Save(directory);
        return ByteLevelBpeTokenizer.Load(directory);
    }
}
