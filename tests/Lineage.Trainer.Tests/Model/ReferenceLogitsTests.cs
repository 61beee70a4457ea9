using Lineage.Trainer.Model;
using static TorchSharp.torch;

namespace Lineage.Trainer.Tests.Model;

/// <summary>The model's logits against a plain-arrays transcription of the HF Llama/Qwen2 forward pass.</summary>
public sealed class ReferenceLogitsTests
{
    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public void One_layer_logits_match_an_independent_computation(bool qwen2, bool tied)
    {
        var config = TinyModels.Config(qwen2, tied);
        using var model = TinyModels.WithFixedWeights(config);
        int[] ids = [3, 7, 1, 9, 4];

        using var logits = model.Forward(tensor(ids.Select(i => (long)i).ToArray(), [1, ids.Length]));
        var actual = logits.to_type(ScalarType.Float64).data<double>().ToArray();
        var expected = Reference(model, config, ids);

        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++) Assert.True(Math.Abs(expected[i] - actual[i]) < 1e-4, $"logit {i}: expected {expected[i]}, got {actual[i]}");
    }

    static double[] Reference(CausalLM model, ModelConfig c, int[] ids)
    {
        int T = ids.Length, H = c.HiddenSize, nh = c.NumAttentionHeads, nkv = c.KeyValueHeads, d = H / nh, I = c.IntermediateSize, V = c.VocabSize;
        double[] W(string n) => TinyModels.Values(model, n);
        var embed = W("model.embed_tokens.weight");
        var x = new double[T, H];
        for (int t = 0; t < T; t++) for (int j = 0; j < H; j++) x[t, j] = embed[ids[t] * H + j];

        string p = "model.layers.0.";
        var h = Norm(x, W(p + "input_layernorm.weight"), c.RmsNormEps);
        var q = Linear(h, W(p + "self_attn.q_proj.weight"), c.QkvBias ? W(p + "self_attn.q_proj.bias") : null, nh * d);
        var k = Linear(h, W(p + "self_attn.k_proj.weight"), c.QkvBias ? W(p + "self_attn.k_proj.bias") : null, nkv * d);
        var v = Linear(h, W(p + "self_attn.v_proj.weight"), c.QkvBias ? W(p + "self_attn.v_proj.bias") : null, nkv * d);
        Rope(q, nh, d, c.RopeTheta);
        Rope(k, nkv, d, c.RopeTheta);
        var attn = new double[T, nh * d];
        for (int head = 0; head < nh; head++)
        {
            int kvh = head / (nh / nkv);
            for (int t = 0; t < T; t++)
            {
                var scores = new double[t + 1];
                for (int s = 0; s <= t; s++)
                {
                    double dot = 0;
                    for (int j = 0; j < d; j++) dot += q[t, head * d + j] * k[s, kvh * d + j];
                    scores[s] = dot / Math.Sqrt(d);
                }
                double max = scores.Max(), sum = scores.Sum(z => Math.Exp(z - max));
                for (int s = 0; s <= t; s++)
                {
                    double w = Math.Exp(scores[s] - max) / sum;
                    for (int j = 0; j < d; j++) attn[t, head * d + j] += w * v[s, kvh * d + j];
                }
            }
        }
        var o = Linear(attn, W(p + "self_attn.o_proj.weight"), null, H);
        for (int t = 0; t < T; t++) for (int j = 0; j < H; j++) x[t, j] += o[t, j];

        var m = Norm(x, W(p + "post_attention_layernorm.weight"), c.RmsNormEps);
        var gate = Linear(m, W(p + "mlp.gate_proj.weight"), null, I);
        var up = Linear(m, W(p + "mlp.up_proj.weight"), null, I);
        var act = new double[T, I];
        for (int t = 0; t < T; t++) for (int j = 0; j < I; j++) act[t, j] = gate[t, j] / (1 + Math.Exp(-gate[t, j])) * up[t, j];
        var down = Linear(act, W(p + "mlp.down_proj.weight"), null, H);
        for (int t = 0; t < T; t++) for (int j = 0; j < H; j++) x[t, j] += down[t, j];

        var final = Norm(x, W("model.norm.weight"), c.RmsNormEps);
        var logits = Linear(final, c.TieWordEmbeddings ? embed : W("lm_head.weight"), null, V);
        var flat = new double[T * V];
        for (int t = 0; t < T; t++) for (int j = 0; j < V; j++) flat[t * V + j] = logits[t, j];
        return flat;
    }

    static double[,] Norm(double[,] x, double[] weight, double eps)
    {
        int T = x.GetLength(0), H = x.GetLength(1);
        var y = new double[T, H];
        for (int t = 0; t < T; t++)
        {
            double ms = 0;
            for (int j = 0; j < H; j++) ms += x[t, j] * x[t, j];
            double scale = 1 / Math.Sqrt(ms / H + eps);
            for (int j = 0; j < H; j++) y[t, j] = x[t, j] * scale * weight[j];
        }
        return y;
    }

    /// <summary>y = x Wᵀ + b with W stored [out, in] as in PyTorch.</summary>
    static double[,] Linear(double[,] x, double[] w, double[]? b, int outDim)
    {
        int T = x.GetLength(0), inDim = x.GetLength(1);
        var y = new double[T, outDim];
        for (int t = 0; t < T; t++)
            for (int o = 0; o < outDim; o++)
            {
                double s = b?[o] ?? 0;
                for (int i = 0; i < inDim; i++) s += x[t, i] * w[o * inDim + i];
                y[t, o] = s;
            }
        return y;
    }

    /// <summary>HF "rotate half": pairs (i, i + d/2) rotate by position × θ^(−2i/d).</summary>
    static void Rope(double[,] x, int heads, int d, double theta)
    {
        int T = x.GetLength(0);
        for (int t = 0; t < T; t++)
            for (int h = 0; h < heads; h++)
                for (int i = 0; i < d / 2; i++)
                {
                    double angle = t * Math.Pow(theta, -2.0 * i / d);
                    double a = x[t, h * d + i], b = x[t, h * d + i + d / 2];
                    x[t, h * d + i] = a * Math.Cos(angle) - b * Math.Sin(angle);
                    x[t, h * d + i + d / 2] = b * Math.Cos(angle) + a * Math.Sin(angle);
                }
    }
}
