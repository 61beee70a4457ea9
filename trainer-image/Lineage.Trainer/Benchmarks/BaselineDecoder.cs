using Lineage.Contracts.Config;
using Lineage.Trainer.Model;
using Lineage.Trainer.Sampling;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Lineage.Trainer.Benchmarks;

/// <summary>
/// The KV-cache decoder as it was before group sampling (issue 11), kept only so that the rollout benchmark can time
/// it in the same process as the current sampler, alternating, on a machine whose load moves by the second. Every
/// prompt is repeated per sample and prefilled on its own; each step grows the key mask by <c>cat</c>, rebuilds the
/// boolean 4-D attention mask, repeats the cached keys/values per query head (<c>repeat_interleave</c>) and calls
/// libtorch's scaled_dot_product_attention. It reads a <see cref="CausalLM"/>'s weights by their Hugging Face names
/// and computes the same function (a test holds it to the sampler's greedy tokens). No stop criteria: the benchmark
/// decodes the whole budget.
/// </summary>
public sealed class BaselineDecoder
{
    readonly ModelConfig config;
    readonly Dictionary<string, Tensor> weights;
    readonly RotaryEmbedding rotary;

    public BaselineDecoder(CausalLM model)
    {
        config = model.Config;
        weights = model.named_parameters().ToDictionary(p => p.name, p => (Tensor)p.parameter);
        rotary = new RotaryEmbedding(config);
    }

    /// <summary>One completion of exactly <see cref="SamplingConfig.MaxNewTokens"/> tokens per prompt.</summary>
    public List<int[]> Generate(IReadOnlyList<IReadOnlyList<int>> prompts, SamplingConfig sampling, Generator generator, int padId)
    {
        using var noGrad = no_grad();
        using var outer = NewDisposeScope();
        int batch = prompts.Count, promptLen = prompts.Max(p => p.Count), budget = sampling.MaxNewTokens;
        var tokens = Enumerable.Range(0, batch).Select(_ => new List<int>(budget)).ToArray();
        using var cache = new KvCache(config, batch, promptLen + budget);
        var ids = new long[batch * promptLen];
        var real = new long[batch * promptLen];
        for (int b = 0; b < batch; b++)
            for (int i = 0; i < promptLen; i++)
            {
                int offset = promptLen - prompts[b].Count;
                ids[b * promptLen + i] = i >= offset ? prompts[b][i - offset] : padId;
                real[b * promptLen + i] = i >= offset ? 1 : 0;
            }
        var keyMask = tensor(real, [batch, promptLen]);
        var lastPos = keyMask.sum(1) - 1;
        var next = TokenPicker.Pick(Forward(tensor(ids, [batch, promptLen]), (keyMask.cumsum(1) - 1).clamp_min(0), keyMask, cache), sampling, generator);
        for (int t = 0; t < budget; t++)
        {
            using var scope = NewDisposeScope();
            var picked = next.data<long>().ToArray();
            for (int b = 0; b < batch; b++) tokens[b].Add((int)picked[b]);
            if (t == budget - 1) break;
            keyMask = cat([keyMask, ones(batch, 1, dtype: keyMask.dtype)], 1).MoveToOuterDisposeScope();
            lastPos = (lastPos + 1).MoveToOuterDisposeScope();
            next = TokenPicker.Pick(Forward(next.unsqueeze(1), lastPos.unsqueeze(1), keyMask, cache), sampling, generator).MoveToOuterDisposeScope();
        }
        return tokens.Select(t => t.ToArray()).ToList();
    }

    /// <summary>Last-position logits [B, V].</summary>
    Tensor Forward(Tensor inputIds, Tensor positions, Tensor keyMask, KvCache cache)
    {
        long batch = inputIds.shape[0], steps = inputIds.shape[1], past = cache.Length;
        int heads = config.NumAttentionHeads, kvHeads = config.KeyValueHeads, headDim = config.HeadSize;
        var (cos, sin) = rotary.CosSin(positions);
        var mask = BooleanMask(keyMask, steps, past);
        var x = W("model.embed_tokens.weight").index_select(0, inputIds.flatten()).view(batch, steps, config.HiddenSize);
        for (int layer = 0; layer < config.NumHiddenLayers; layer++)
        {
            string p = $"model.layers.{layer}.";
            var h = Norm(x, p + "input_layernorm.weight");
            var q = RotaryEmbedding.Apply(Linear(h, p + "self_attn.q_proj").view(batch, steps, heads, headDim).transpose(1, 2), cos, sin);
            var k = RotaryEmbedding.Apply(Linear(h, p + "self_attn.k_proj").view(batch, steps, kvHeads, headDim).transpose(1, 2), cos, sin);
            var v = Linear(h, p + "self_attn.v_proj").view(batch, steps, kvHeads, headDim).transpose(1, 2);
            (k, v) = cache.Append(layer, k, v);
            if (kvHeads != heads)
            {
                k = k.repeat_interleave(heads / kvHeads, dim: 1);
                v = v.repeat_interleave(heads / kvHeads, dim: 1);
            }
            var y = functional.scaled_dot_product_attention(q, k, v, attn_mask: mask);
            x = x + Linear(y.transpose(1, 2).reshape(batch, steps, heads * headDim), p + "self_attn.o_proj");
            var m = Norm(x, p + "post_attention_layernorm.weight");
            x = x + Linear(functional.silu(Linear(m, p + "mlp.gate_proj")) * Linear(m, p + "mlp.up_proj"), p + "mlp.down_proj");
        }
        cache.Advance(steps);
        var last = Norm(x, "model.norm.weight").narrow(1, steps - 1, 1).squeeze(1);
        return functional.linear(last, weights.TryGetValue("lm_head.weight", out var head) ? head : W("model.embed_tokens.weight"));
    }

    Tensor W(string name) => weights[name];

    Tensor Linear(Tensor x, string name) => functional.linear(x, W(name + ".weight"), weights.GetValueOrDefault(name + ".bias"));

    Tensor Norm(Tensor x, string weight)
    {
        var x32 = x.to_type(ScalarType.Float32);
        return W(weight) * (x32 * (x32.pow(2).mean([-1], keepdim: true) + config.RmsNormEps).rsqrt()).to_type(x.dtype);
    }

    static Tensor BooleanMask(Tensor keyMask, long steps, long past)
    {
        long keys = past + steps;
        var queryPos = arange(past, keys).unsqueeze(1);
        var keyPos = arange(keys).unsqueeze(0);
        var valid = keyMask.to_type(ScalarType.Bool).unsqueeze(1).unsqueeze(1);
        return keyPos.le(queryPos).unsqueeze(0).unsqueeze(0).logical_and(valid).logical_or(keyPos.eq(queryPos).unsqueeze(0).unsqueeze(0));
    }
}
