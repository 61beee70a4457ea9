using Lineage.Trainer.Tasks;

namespace Lineage.Trainer.Tokenization;

/// <summary>
/// The character-level tokenizer of the built-in tasks: one id per printable ASCII character, newline and tab, and one
/// per special token. It is a byte-level BPE with no merges, so it is written as an ordinary tokenizer.json that the
/// Hugging Face tokenizers library loads, and read back through the same loader as any model's tokenizer.
/// </summary>
public static class BuiltInTokenizer
{
    public const string EndOfText = "<|endoftext|>";
    public const string Pad = "<|pad|>";
    public const string ImStart = "<|im_start|>";
    public const string ImEnd = "<|im_end|>";

    /// <summary>Special tokens in id order after the characters.</summary>
    public static readonly IReadOnlyList<string> SpecialTokens =
        [EndOfText, Pad, ThinkFormat.ThinkOpen, ThinkFormat.ThinkClose, ThinkFormat.AnswerOpen, ThinkFormat.AnswerClose, ImStart, ImEnd];

    public static ByteLevelBpeTokenizer Create() =>
        ByteLevelBpeTokenizer.FromDocument(Document(), new SpecialTokenRoles(Eos: EndOfText, Pad: Pad, Bos: null));

    public static TokenizerJson Document()
    {
        var characters = Enumerable.Range(' ', '~' - ' ' + 1).Select(c => (byte)c).Append((byte)'\n').Append((byte)'\t');
        var vocab = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var b in characters) vocab[ByteLevelAlphabet.Symbol(b).ToString()] = vocab.Count;
        var added = SpecialTokens.Select((token, i) => new AddedToken(vocab.Count + i, token, Special: true)).ToList();
        return new TokenizerJson(vocab, Merges: [], added, SplitPattern: null, Nfc: false);
    }
}
