using System.Text;
using System.Text.RegularExpressions;
using Microsoft.ML.Tokenizers;

namespace Lineage.Trainer.Tokenization;

/// <summary>
/// A Hugging Face byte-level BPE tokenizer (GPT-2, Qwen2, Llama 3 and the built-in character tokenizer) running on
/// Microsoft.ML.Tokenizers' BpeTokenizer: the tokenizer.json split regex as pre-tokenizer, added tokens matched as
/// single ids before splitting, bytes mapped to GPT-2's alphabet, merges applied by rank.
/// </summary>
public sealed class ByteLevelBpeTokenizer : ITextTokenizer
{
    public const string FileName = "tokenizer.json";

    readonly BpeTokenizer _bpe;
    readonly TokenizerJson _document;
    readonly string _json;
    readonly SpecialTokenRoles _roles;
    readonly Dictionary<string, int> _special;
    readonly HashSet<int> _specialIds;
    /// <summary>Bytes whose symbol the vocabulary lacks (only small vocabularies such as the built-in one): encoding them
    /// would silently drop text, so Encode refuses instead.</summary>
    readonly bool[] _uncoveredBytes = new bool[256];
    readonly bool _coversAllBytes;

    ByteLevelBpeTokenizer(TokenizerJson document, string json, SpecialTokenRoles roles)
    {
        _document = document;
        _json = json;
        _roles = roles;
        _special = document.AddedTokens.ToDictionary(t => t.Content, t => t.Id, StringComparer.Ordinal);
        _specialIds = document.AddedTokens.Select(t => t.Id).ToHashSet();
        for (int b = 0; b < 256; b++) _uncoveredBytes[b] = !document.Vocab.ContainsKey(ByteLevelAlphabet.Symbol((byte)b).ToString());
        _coversAllBytes = !_uncoveredBytes.Contains(true);

        // Without a split regex HF treats the whole text as one word; "(?s).+" does the same between special tokens.
        var split = new Regex(document.SplitPattern ?? "(?s).+", RegexOptions.Compiled);
        _bpe = BpeTokenizer.Create(new BpeOptions(document.Vocab)
        {
            Merges = document.Merges.Select(m => $"{m.Left} {m.Right}"),
            SpecialTokens = _special,
            PreTokenizer = new RegexPreTokenizer(split, _special),
            Normalizer = document.Nfc ? new NfcNormalizer() : null,
            ByteLevel = true,
        });
        VocabSize = Math.Max(document.Vocab.Values.DefaultIfEmpty(-1).Max(), document.AddedTokens.Select(t => t.Id).DefaultIfEmpty(-1).Max()) + 1;
        EosId = RoleId("eos", roles.Eos);
        PadId = roles.Pad is null ? EosId : RoleId("pad", roles.Pad);
        BosId = roles.Bos is null ? null : RoleId("bos", roles.Bos);
    }

    int RoleId(string role, string token) => _special.TryGetValue(token, out int id)
        ? id
        : throw new InvalidDataException($"the {role} token '{token}' is not an added token of the tokenizer");

    /// <summary>Loads <c>tokenizer.json</c> (and <c>tokenizer_config.json</c> when present) from a model directory.</summary>
    public static ByteLevelBpeTokenizer Load(string directory)
    {
        string path = Path.Combine(directory, FileName);
        var document = TokenizerJson.Load(path);
        return new ByteLevelBpeTokenizer(document, File.ReadAllText(path), SpecialTokenRoles.Resolve(directory, document.AddedTokens));
    }

    /// <summary>A tokenizer from an in-memory document (the built-in one); <see cref="Save"/> writes it as HF files.</summary>
    public static ByteLevelBpeTokenizer FromDocument(TokenizerJson document, SpecialTokenRoles roles) => new(document, document.ToJson(), roles);

    public int VocabSize { get; }
    public int EosId { get; }
    public int PadId { get; }
    public int? BosId { get; }
    public IReadOnlyList<AddedToken> AddedTokens => _document.AddedTokens;

    public IReadOnlyList<int> Encode(string text)
    {
        if (!_coversAllBytes) CheckCovered(text);
        return _bpe.EncodeToIds(text);
    }

    public string Decode(IEnumerable<int> ids, bool skipSpecialTokens = false)
    {
        var list = ids as IReadOnlyCollection<int> ?? ids.ToList();
        foreach (var id in list)
            if ((uint)id >= (uint)VocabSize) throw new ArgumentOutOfRangeException(nameof(ids), id, $"token id {id} is outside the vocabulary (size {VocabSize})");
        return _bpe.Decode(skipSpecialTokens ? list.Where(id => !_specialIds.Contains(id)) : list, considerSpecialTokens: true);
    }

    public int? SpecialTokenId(string token) => _special.TryGetValue(token, out int id) ? id : null;

    public void Save(string directory)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, FileName), _json);
        File.WriteAllText(Path.Combine(directory, SpecialTokenRoles.ConfigFile), _roles.ToConfigJson());
    }

    void CheckCovered(string text)
    {
        string rest = text;
        foreach (var token in _special.Keys) rest = rest.Replace(token, "");
        Span<byte> utf8 = stackalloc byte[4];
        foreach (var rune in rest.EnumerateRunes())
        {
            int n = rune.EncodeToUtf8(utf8);
            foreach (var b in utf8[..n])
                if (_uncoveredBytes[b])
                    throw new ArgumentException($"character '{rune}' (U+{rune.Value:X4}) is not in the tokenizer's vocabulary", nameof(text));
        }
    }

    /// <summary>Qwen2's tokenizer.json normalizes to NFC before splitting. With InvariantGlobalization (no ICU) .NET returns
    /// the text unchanged, so decomposed input (rare: most text is already NFC) is then tokenized as written.</summary>
    sealed class NfcNormalizer : Normalizer
    {
        public override string Normalize(string original) => original.Normalize(NormalizationForm.FormC);
        public override string Normalize(ReadOnlySpan<char> original) => original.ToString().Normalize(NormalizationForm.FormC);
    }
}
