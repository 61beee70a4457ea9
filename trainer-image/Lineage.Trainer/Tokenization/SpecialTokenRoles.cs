using System.Text.Json;
using System.Text.Json.Nodes;

namespace Lineage.Trainer.Tokenization;

/// <summary>
/// Which added tokens play eos, pad and bos. Hugging Face keeps this in tokenizer_config.json beside tokenizer.json
/// (eos_token, pad_token, bos_token as a string or {"content": …}); without that file the well-known names decide.
/// </summary>
public sealed record SpecialTokenRoles(string Eos, string? Pad, string? Bos)
{
    public const string ConfigFile = "tokenizer_config.json";

    static readonly string[] KnownEos = ["<|endoftext|>", "<|end_of_text|>", "</s>", "<|im_end|>", "<|eot_id|>"];
    static readonly string[] KnownPad = ["<|pad|>", "<pad>", "<|finetune_right_pad_id|>"];
    static readonly string[] KnownBos = ["<|begin_of_text|>", "<s>"];

    /// <summary>Roles from <c>tokenizer_config.json</c> in <paramref name="directory"/> when present, else from well-known names.</summary>
    public static SpecialTokenRoles Resolve(string directory, IReadOnlyCollection<AddedToken> added)
    {
        var names = added.Select(t => t.Content).ToHashSet(StringComparer.Ordinal);
        string configPath = Path.Combine(directory, ConfigFile);
        string? eos = null, pad = null, bos = null;
        if (File.Exists(configPath))
        {
            JsonNode? root;
            try { root = JsonNode.Parse(File.ReadAllText(configPath)); }
            catch (JsonException e) { throw new InvalidDataException($"{configPath}: not valid JSON: {e.Message}", e); }
            eos = TokenText(root?["eos_token"]);
            pad = TokenText(root?["pad_token"]);
            bos = TokenText(root?["bos_token"]);
            foreach (var (role, token) in new[] { ("eos_token", eos), ("pad_token", pad), ("bos_token", bos) })
                if (token is not null && !names.Contains(token))
                    throw new InvalidDataException($"{configPath}: {role} '{token}' is not an added token of tokenizer.json");
        }
        eos ??= KnownEos.FirstOrDefault(names.Contains)
            ?? throw new InvalidDataException($"{directory}: cannot tell the eos token (no {ConfigFile} eos_token and none of {string.Join(", ", KnownEos)})");
        pad ??= KnownPad.FirstOrDefault(names.Contains);
        bos ??= KnownBos.FirstOrDefault(names.Contains);
        return new SpecialTokenRoles(eos, pad, bos);
    }

    public string ToConfigJson() => new JsonObject
    {
        ["eos_token"] = Eos,
        ["pad_token"] = Pad,
        ["bos_token"] = Bos,
        ["add_bos_token"] = false,
        ["tokenizer_class"] = "PreTrainedTokenizerFast",
        ["clean_up_tokenization_spaces"] = false,
    }.ToJsonString(new JsonSerializerOptions { WriteIndented = true });

    static string? TokenText(JsonNode? node) => node switch
    {
        JsonValue v when v.TryGetValue(out string? s) => s,
        JsonObject o => (string?)o["content"],
        _ => null,
    };
}
