using System.Text.Json;
using static TorchSharp.torch;

namespace Lineage.Trainer.Model;

/// <summary>
/// Rotary position embeddings in HF's "rotate half" layout, with Llama 3's frequency scaling when
/// config.json has <c>rope_scaling.rope_type = llama3</c> (Llama-3.2 needs it to match reference logits).
/// </summary>
public sealed class RotaryEmbedding
{
    readonly Tensor invFreq;

    public RotaryEmbedding(ModelConfig config, Device? device = null)
    {
        int dim = config.HeadSize;
        var freqs = Enumerable.Range(0, dim / 2).Select(i => 1.0 / Math.Pow(config.RopeTheta, 2.0 * i / dim)).ToArray();
        if (config.Extra is { } extra && extra.TryGetValue("rope_scaling", out var scaling) && scaling.ValueKind == JsonValueKind.Object)
            freqs = ScaleLlama3(freqs, scaling);
        invFreq = tensor(freqs.Select(f => (float)f).ToArray(), device: device);
    }

    static double[] ScaleLlama3(double[] freqs, JsonElement s)
    {
        var type = s.TryGetProperty("rope_type", out var t) ? t.GetString() : s.TryGetProperty("type", out var t2) ? t2.GetString() : null;
        if (type is null or "default") return freqs;
        if (type != "llama3") throw new InvalidDataException($"config.json: rope_scaling type '{type}' is not supported (llama3)");
        double factor = s.GetProperty("factor").GetDouble();
        double low = s.GetProperty("low_freq_factor").GetDouble(), high = s.GetProperty("high_freq_factor").GetDouble();
        double original = s.GetProperty("original_max_position_embeddings").GetDouble();
        double lowWavelen = original / low, highWavelen = original / high;
        return freqs.Select(f =>
        {
            double wavelen = 2 * Math.PI / f;
            if (wavelen < highWavelen) return f;
            if (wavelen > lowWavelen) return f / factor;
            double smooth = (original / wavelen - low) / (high - low);
            return (1 - smooth) * f / factor + smooth * f;
        }).ToArray();
    }

    /// <summary>cos and sin for positions [B,T], each [B,1,T,headDim] to broadcast over heads.</summary>
    public (Tensor Cos, Tensor Sin) CosSin(Tensor positions)
    {
        var angles = positions.to_type(ScalarType.Float32).unsqueeze(-1) * invFreq;
        var emb = cat([angles, angles], -1).unsqueeze(1);
        return (emb.cos(), emb.sin());
    }

    public static Tensor Apply(Tensor x, Tensor cos, Tensor sin)
    {
        long half = x.shape[^1] / 2;
        var rotated = cat([-x.narrow(-1, half, half), x.narrow(-1, 0, half)], -1);
        return x * cos + rotated * sin;
    }
}
