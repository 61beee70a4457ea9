using TorchSharp;
using static TorchSharp.torch;

namespace Lineage.Trainer.Checkpoints;

/// <summary>What <see cref="WeightLoading.LoadInto"/> did: names copied, names the module wanted but the weights lacked,
/// names the weights had but the module does not, and shape mismatches.</summary>
public sealed record WeightLoadReport(
    IReadOnlyList<string> Loaded,
    IReadOnlyList<string> Missing,
    IReadOnlyList<string> Unexpected,
    IReadOnlyList<string> ShapeMismatches)
{
    public bool IsComplete => Missing.Count == 0 && Unexpected.Count == 0 && ShapeMismatches.Count == 0;

    public override string ToString() =>
        $"{Loaded.Count} loaded; missing: [{string.Join(", ", Missing)}]; unexpected: [{string.Join(", ", Unexpected)}]; " +
        $"shape mismatches: [{string.Join("; ", ShapeMismatches)}]";
}

public static class WeightLoading
{
    public const string EmbeddingName = "model.embed_tokens.weight";
    public const string OutputName = "lm_head.weight";

    /// <summary>
    /// Copies <paramref name="weights"/> into the module's state_dict entries of the same (Hugging Face) name.
    /// With <paramref name="tied"/> (tie_word_embeddings), lm_head.weight may be absent from the weights (it is then
    /// filled from the embedding) or absent from the module (a stored copy is then ignored).
    /// When <paramref name="strict"/>, any missing or unexpected name or shape mismatch throws an
    /// <see cref="InvalidDataException"/> listing them all, before anything is copied; <paramref name="directory"/> (the model
    /// folder the weights came from) then leads the message.
    /// </summary>
    public static WeightLoadReport LoadInto(nn.Module module, IReadOnlyDictionary<string, Tensor> weights, bool tied, bool strict = true, string? directory = null)
    {
        var targets = module.state_dict();
        var loaded = new List<string>();
        var missing = new List<string>();
        var mismatches = new List<string>();
        var sources = new Dictionary<string, Tensor>();
        foreach (var (name, target) in targets.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            var source = weights.GetValueOrDefault(name);
            if (source is null && tied && name == OutputName) source = weights.GetValueOrDefault(EmbeddingName);
            if (source is null) { missing.Add(name); continue; }
            if (!source.shape.SequenceEqual(target.shape))
            {
                mismatches.Add($"{name}: checkpoint [{string.Join(", ", source.shape)}] vs model [{string.Join(", ", target.shape)}]");
                continue;
            }
            sources[name] = source;
        }
        var unexpected = weights.Keys
            .Where(n => !targets.ContainsKey(n) && !(tied && n == OutputName))
            .OrderBy(n => n, StringComparer.Ordinal).ToList();
        var report = new WeightLoadReport(loaded, missing, unexpected, mismatches);
        if (strict && !report.IsComplete)
            throw new InvalidDataException(directory is null ? $"weights do not match the model: {report}" : $"{directory}: the safetensors weights do not match config.json: {report}");

        using (no_grad())
        {
            foreach (var (name, source) in sources)
            {
                targets[name].copy_(source);
                loaded.Add(name);
            }
        }
        return report;
    }
}
