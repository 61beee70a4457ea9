using System.Text.Json;
using System.Text.Json.Nodes;

namespace Lineage.Trainer.Tokenization;

/// <summary>
/// The parts of a Hugging Face tokenizer.json that a byte-level BPE tokenizer (GPT-2, Qwen2, Llama 3) needs:
/// vocabulary, merges in rank order, added tokens, the pre-tokenizer's split regex and the NFC normalizer.
/// Loading rejects what this project cannot reproduce faithfully, with an error naming the file.
/// </summary>
public sealed record TokenizerJson(
    IReadOnlyDictionary<string, int> Vocab,
    IReadOnlyList<(string Left, string Right)> Merges,
    IReadOnlyList<AddedToken> AddedTokens,
    string? SplitPattern,
    bool Nfc)
{
    /// <summary>GPT-2's pre-tokenizer regex, which HF's ByteLevel pre-tokenizer applies when use_regex is true.</summary>
    public const string Gpt2Pattern = @"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";

    public static TokenizerJson Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: tokenizer.json not found", path);
        JsonNode? root;
        try { root = JsonNode.Parse(File.ReadAllText(path)); }
        catch (JsonException e) { throw Bad(path, $"not valid JSON: {e.Message}"); }
        if (root is not JsonObject) throw Bad(path, "the root is not a JSON object");
        try
        {
            return Parse(root, path);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
            throw Bad(path, $"unexpected value type: {e.Message}");
        }
    }

    static TokenizerJson Parse(JsonNode root, string path)
    {
        if (root["model"] is not JsonObject model) throw Bad(path, "missing the 'model' object");
        string? type = (string?)model["type"];
        if (type is not null && type != "BPE") throw Bad(path, $"model.type '{type}' is not supported (only byte-level BPE)");
        if (model["vocab"] is not JsonObject vocabJson) throw Bad(path, "model.vocab is missing or not an object");
        var vocab = new Dictionary<string, int>(vocabJson.Count, StringComparer.Ordinal);
        foreach (var (token, id) in vocabJson)
            vocab[token] = id?.GetValue<int>() ?? throw Bad(path, $"model.vocab entry '{token}' has no id");
        var merges = ParseMerges(model["merges"], vocab, path);
        var added = ParseAddedTokens(root["added_tokens"], path);

        bool byteLevel = HasByteLevel(root["pre_tokenizer"]) || HasByteLevel(root["decoder"]);
        if (!byteLevel) throw Bad(path, "only byte-level BPE is supported (no ByteLevel pre_tokenizer or decoder; SentencePiece-style tokenizers are not)");
        string? pattern = SplitPatternOf(root["pre_tokenizer"], path);
        bool nfc = ParseNormalizer(root["normalizer"], path);
        return new TokenizerJson(vocab, merges, added, pattern, nfc);
    }

    static List<(string, string)> ParseMerges(JsonNode? node, Dictionary<string, int> vocab, string path)
    {
        var merges = new List<(string, string)>();
        if (node is null) return merges;
        if (node is not JsonArray array) throw Bad(path, "model.merges is not an array");
        foreach (var item in array)
        {
            // Older files write "a b"; tokenizers >= 0.20 writes ["a", "b"].
            (string, string) merge = item switch
            {
                JsonValue v when v.TryGetValue(out string? s) && s.Split(' ') is [var a, var b] => (a, b),
                JsonArray { Count: 2 } pair => ((string)pair[0]!, (string)pair[1]!),
                _ => throw Bad(path, $"model.merges entry {item?.ToJsonString()} is not a pair"),
            };
            if (!vocab.ContainsKey(merge.Item1) || !vocab.ContainsKey(merge.Item2) || !vocab.ContainsKey(merge.Item1 + merge.Item2))
                throw Bad(path, $"merge '{merge.Item1} {merge.Item2}' uses or makes a token missing from model.vocab");
            merges.Add(merge);
        }
        return merges;
    }

    static List<AddedToken> ParseAddedTokens(JsonNode? node, string path)
    {
        var added = new List<AddedToken>();
        if (node is null) return added;
        if (node is not JsonArray array) throw Bad(path, "added_tokens is not an array");
        foreach (var item in array)
        {
            var id = (int?)item?["id"];
            var content = (string?)item?["content"];
            if (id is null || string.IsNullOrEmpty(content)) throw Bad(path, $"added_tokens entry {item?.ToJsonString()} needs an id and a content");
            added.Add(new AddedToken(id.Value, content, (bool?)item!["special"] ?? false));
        }
        return added;
    }

    static bool HasByteLevel(JsonNode? node) => node switch
    {
        null => false,
        JsonObject o when (string?)o["type"] == "ByteLevel" => true,
        JsonObject o when o["pretokenizers"] is JsonArray a => a.Any(HasByteLevel),
        JsonObject o when o["decoders"] is JsonArray a => a.Any(HasByteLevel),
        _ => false,
    };

    /// <summary>The regex that splits text into words before BPE, or null when the text is one word.</summary>
    static string? SplitPatternOf(JsonNode? node, string path)
    {
        switch (node)
        {
            case null: return null;
            case JsonObject o when (string?)o["type"] == "ByteLevel":
                if ((bool?)o["add_prefix_space"] == true) throw Bad(path, "pre_tokenizer ByteLevel with add_prefix_space=true is not supported");
                return (bool?)o["use_regex"] ?? true ? Gpt2Pattern : null;
            case JsonObject o when (string?)o["type"] == "Split":
                if ((string?)o["behavior"] is { } behavior && behavior != "Isolated") throw Bad(path, $"Split behavior '{behavior}' is not supported (Isolated)");
                if ((bool?)o["invert"] == true) throw Bad(path, "Split with invert=true is not supported");
                return (string?)o["pattern"]?["Regex"]
                    ?? ((string?)o["pattern"]?["String"] is { } literal ? System.Text.RegularExpressions.Regex.Escape(literal) : throw Bad(path, "Split has no pattern"));
            case JsonObject o when (string?)o["type"] == "Sequence" && o["pretokenizers"] is JsonArray parts:
                var patterns = parts.Select(p => SplitPatternOf(p, path)).Where(p => p is not null).ToList();
                if (patterns.Count > 1) throw Bad(path, "a pre_tokenizer Sequence with more than one splitting step is not supported");
                return patterns.SingleOrDefault();
            default:
                throw Bad(path, $"pre_tokenizer {node.ToJsonString()} is not supported (ByteLevel, Split, Sequence)");
        }
    }

    static bool ParseNormalizer(JsonNode? node, string path) => node switch
    {
        null => false,
        JsonObject o when (string?)o["type"] == "NFC" => true,
        JsonObject o when (string?)o["type"] == "Sequence" && o["normalizers"] is JsonArray { Count: 0 } => false,
        JsonObject o when (string?)o["type"] == "Sequence" && o["normalizers"] is JsonArray { Count: 1 } a => ParseNormalizer(a[0], path),
        _ => throw Bad(path, $"normalizer {node.ToJsonString()} is not supported (NFC or none)"),
    };

    /// <summary>A tokenizer.json that the Hugging Face tokenizers library loads: byte-level BPE, no normalizer.</summary>
    public string ToJson()
    {
        var vocab = new JsonObject();
        foreach (var (token, id) in Vocab.OrderBy(kv => kv.Value)) vocab[token] = id;
        var byteLevel = new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = false, ["trim_offsets"] = false, ["use_regex"] = false };
        JsonNode preTokenizer = SplitPattern is null
            ? byteLevel.DeepClone()
            : new JsonObject
            {
                ["type"] = "Sequence",
                ["pretokenizers"] = new JsonArray(
                    new JsonObject { ["type"] = "Split", ["pattern"] = new JsonObject { ["Regex"] = SplitPattern }, ["behavior"] = "Isolated", ["invert"] = false },
                    byteLevel.DeepClone()),
            };
        var root = new JsonObject
        {
            ["version"] = "1.0",
            ["truncation"] = null,
            ["padding"] = null,
            ["added_tokens"] = new JsonArray(AddedTokens.Select(t => (JsonNode)new JsonObject
            {
                ["id"] = t.Id, ["content"] = t.Content, ["single_word"] = false, ["lstrip"] = false, ["rstrip"] = false,
                ["normalized"] = false, ["special"] = t.Special,
            }).ToArray()),
            ["normalizer"] = Nfc ? new JsonObject { ["type"] = "NFC" } : null,
            ["pre_tokenizer"] = preTokenizer,
            ["post_processor"] = byteLevel.DeepClone(),
            ["decoder"] = byteLevel.DeepClone(),
            ["model"] = new JsonObject
            {
                ["type"] = "BPE", ["dropout"] = null, ["unk_token"] = null, ["continuing_subword_prefix"] = null,
                ["end_of_word_suffix"] = null, ["fuse_unk"] = false, ["byte_fallback"] = false, ["ignore_merges"] = false,
                ["vocab"] = vocab,
                ["merges"] = new JsonArray(Merges.Select(m => (JsonNode)new JsonArray(m.Left, m.Right)).ToArray()),
            },
        };
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    static InvalidDataException Bad(string path, string what) => new($"{path}: invalid tokenizer.json: {what}");
}
