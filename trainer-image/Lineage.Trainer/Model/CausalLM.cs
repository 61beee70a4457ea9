using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Lineage.Trainer.Model;

/// <summary>
/// Decoder-only transformer of the Llama / Qwen2 family: RMSNorm, rotary positions, grouped-query
/// attention, SwiGLU MLP, optional q/k/v bias and tied embeddings. Submodule names follow Hugging
/// Face exactly, so <c>state_dict()</c> keys are HF tensor names (<c>model.layers.0.self_attn.q_proj.weight</c>).
/// </summary>
public sealed class CausalLM : Module<Tensor, Tensor>
{
    readonly Backbone model;
    readonly Linear? lm_head;

    public ModelConfig Config { get; }

    /// <param name="device">Where every parameter and buffer is created (null: TorchSharp's default device).</param>
    public CausalLM(ModelConfig config, Device? device = null) : base(nameof(CausalLM))
    {
        config.Check("model config");
        Config = config;
        model = new Backbone(config, device);
        register_module("model", model);
        if (!config.TieWordEmbeddings)
        {
            lm_head = Linear(config.HiddenSize, config.VocabSize, hasBias: false, device: device);
            register_module("lm_head", lm_head);
        }
    }

    /// <summary>Logits for every position of a causal batch (no padding on the left).</summary>
    public override Tensor forward(Tensor inputIds) => Forward(inputIds);

    /// <param name="inputIds">[B, T] token ids.</param>
    /// <param name="positions">[B, T] rotary positions; default past length + 0..T-1.</param>
    /// <param name="attentionMask">[B, past+T] with 1 for real tokens (left padding), or a ready [B, 1, T, past+T] mask,
    /// boolean (packing) or additive float (decoding); null = plain causal.</param>
    /// <param name="cache">KV cache to read and extend (sampling).</param>
    /// <param name="lastOnly">Project only the last position to the vocabulary (decoding).</param>
    public Tensor Forward(Tensor inputIds, Tensor? positions = null, Tensor? attentionMask = null, KvCache? cache = null, bool lastOnly = false)
    {
        using var hidden = model.Forward(inputIds, positions, attentionMask, cache);
        var h = lastOnly ? hidden.narrow(1, hidden.shape[1] - 1, 1) : hidden;
        return lm_head is null ? functional.linear(h, model.EmbeddingWeight) : lm_head.forward(h);
    }

    /// <summary>Final-norm hidden states [B,T,H]: what the LM head reads, and a reward model's scalar head.</summary>
    public Tensor HiddenStates(Tensor inputIds, Tensor? positions = null, Tensor? attentionMask = null) =>
        model.Forward(inputIds, positions, attentionMask, null);

    /// <summary>The decoder stack (HF's <c>model.*</c>), for heads that share it (the reward model registers it as its own "model").</summary>
    internal Module DecoderStack => model;

    public long ParameterCount() => parameters().Sum(p => p.numel());

    /// <summary>Where the weights live: batches, caches and generators for this model are made there.</summary>
    public Device Device
    {
        get
        {
            // The getter wraps the native weight anew each time; the wrapper is released here, the weight stays.
            using var weight = model.EmbeddingWeight;
            return weight.device;
        }
    }

    sealed class Backbone : Module
    {
        readonly Embedding embed_tokens;
        readonly ModuleList<DecoderLayer> layers;
        readonly RmsNorm norm;
        readonly RotaryEmbedding rotary;

        public Backbone(ModelConfig config, Device? device) : base("model")
        {
            embed_tokens = Embedding(config.VocabSize, config.HiddenSize, device: device);
            layers = ModuleList(Enumerable.Range(0, config.NumHiddenLayers).Select(i => new DecoderLayer(config, i, device)).ToArray());
            norm = new RmsNorm(config.HiddenSize, config.RmsNormEps, device);
            rotary = new RotaryEmbedding(config, device);
            register_module("embed_tokens", embed_tokens);
            register_module("layers", layers);
            register_module("norm", norm);
        }

        public Tensor EmbeddingWeight => embed_tokens.weight!;

        public Tensor Forward(Tensor inputIds, Tensor? positions, Tensor? attentionMask, KvCache? cache)
        {
            long batch = inputIds.shape[0], steps = inputIds.shape[1], past = cache?.Length ?? 0;
            positions ??= arange(past, past + steps, dtype: int64, device: inputIds.device).unsqueeze(0).expand(batch, steps);
            var (cos, sin) = rotary.CosSin(positions);
            var mask = AttentionMask(attentionMask, steps, past, cache is not null, inputIds.device);
            var x = embed_tokens.forward(inputIds);
            foreach (var layer in layers) x = layer.Forward(x, cos, sin, mask, cache);
            cache?.Advance(steps);
            return norm.forward(x);
        }

        /// <summary>Additive float [B,1,T,past+T] (0 = may attend, −∞ = may not), built once and shared by every layer:
        /// causal and key-valid; every query may see itself so padded rows never softmax over nothing. A ready 4-D mask
        /// passes through (a boolean one is made additive). Null means "plain causal" (the fast path), or nothing to mask
        /// when one step is decoded against a cache.</summary>
        static Tensor? AttentionMask(Tensor? keyMask, long steps, long past, bool cached, Device device)
        {
            if (keyMask is null)
                return cached && steps > 1 ? Additive(ones(1, 1, steps, past + steps, dtype: ScalarType.Bool, device: device).tril(past)) : null;
            if (keyMask.dim() == 4) return keyMask.dtype == ScalarType.Bool ? Additive(keyMask) : keyMask;
            long keys = past + steps;
            var queryPos = arange(past, keys, device: keyMask.device).unsqueeze(1);
            var keyPos = arange(keys, device: keyMask.device).unsqueeze(0);
            var causal = keyPos.le(queryPos);
            var self = keyPos.eq(queryPos);
            var valid = keyMask.to_type(ScalarType.Bool).unsqueeze(1).unsqueeze(1);
            return Additive(causal.unsqueeze(0).unsqueeze(0).logical_and(valid).logical_or(self.unsqueeze(0).unsqueeze(0)));
        }

        /// <summary>What scaled_dot_product_attention makes of a boolean mask itself, done once instead of once per layer.</summary>
        static Tensor Additive(Tensor allowed) =>
            zeros(allowed.shape, dtype: ScalarType.Float32, device: allowed.device).masked_fill(allowed.logical_not(), double.NegativeInfinity);
    }

    sealed class DecoderLayer : Module
    {
        readonly Attention self_attn;
        readonly SwiGlu mlp;
        readonly RmsNorm input_layernorm;
        readonly RmsNorm post_attention_layernorm;

        public DecoderLayer(ModelConfig config, int index, Device? device) : base($"layer{index}")
        {
            self_attn = new Attention(config, index, device);
            mlp = new SwiGlu(config, device);
            input_layernorm = new RmsNorm(config.HiddenSize, config.RmsNormEps, device);
            post_attention_layernorm = new RmsNorm(config.HiddenSize, config.RmsNormEps, device);
            register_module("self_attn", self_attn);
            register_module("mlp", mlp);
            register_module("input_layernorm", input_layernorm);
            register_module("post_attention_layernorm", post_attention_layernorm);
        }

        public Tensor Forward(Tensor x, Tensor cos, Tensor sin, Tensor? mask, KvCache? cache)
        {
            var h = x + self_attn.Forward(input_layernorm.forward(x), cos, sin, mask, cache);
            return h + mlp.forward(post_attention_layernorm.forward(h));
        }
    }

    sealed class Attention : Module
    {
        readonly Linear q_proj, k_proj, v_proj, o_proj;
        readonly int heads, kvHeads, headDim, layer;

        public Attention(ModelConfig config, int layerIndex, Device? device) : base("self_attn")
        {
            heads = config.NumAttentionHeads;
            kvHeads = config.KeyValueHeads;
            headDim = config.HeadSize;
            layer = layerIndex;
            q_proj = Linear(config.HiddenSize, heads * headDim, hasBias: config.QkvBias, device: device);
            k_proj = Linear(config.HiddenSize, kvHeads * headDim, hasBias: config.QkvBias, device: device);
            v_proj = Linear(config.HiddenSize, kvHeads * headDim, hasBias: config.QkvBias, device: device);
            o_proj = Linear(heads * headDim, config.HiddenSize, hasBias: config.OutputBias, device: device);
            register_module("q_proj", q_proj);
            register_module("k_proj", k_proj);
            register_module("v_proj", v_proj);
            register_module("o_proj", o_proj);
        }

        public Tensor Forward(Tensor x, Tensor cos, Tensor sin, Tensor? mask, KvCache? cache)
        {
            long batch = x.shape[0], steps = x.shape[1];
            var q = RotaryEmbedding.Apply(q_proj.forward(x).view(batch, steps, heads, headDim).transpose(1, 2), cos, sin);
            var k = RotaryEmbedding.Apply(k_proj.forward(x).view(batch, steps, kvHeads, headDim).transpose(1, 2), cos, sin);
            var v = v_proj.forward(x).view(batch, steps, kvHeads, headDim).transpose(1, 2);
            Tensor y;
            if (cache is not null)
            {
                (k, v) = cache.Append(layer, k, v);
                y = GroupedQueryAttention(q, k, v, mask);
            }
            else
            {
                if (kvHeads != heads)
                {
                    k = k.repeat_interleave(heads / kvHeads, dim: 1);
                    v = v.repeat_interleave(heads / kvHeads, dim: 1);
                }
                y = functional.scaled_dot_product_attention(q, k, v, attn_mask: mask, is_casual: mask is null);
            }
            return o_proj.forward(y.transpose(1, 2).reshape(batch, steps, heads * headDim));
        }

        /// <summary>
        /// Attention against cached keys/values without copying them per head: the query heads that share a key/value
        /// head are folded into its query rows ([B,H,T,D] → [B,kv,groups·T,D]), the mask repeated per group, so each
        /// (head, query) attends over exactly the keys it would with repeated k/v. Written out as two batched matmuls:
        /// libtorch's CPU flash attention spends several times more CPU on these one-row queries with 2 threads.
        /// </summary>
        Tensor GroupedQueryAttention(Tensor q, Tensor k, Tensor v, Tensor? mask)
        {
            int groups = heads / kvHeads;
            long batch = q.shape[0], steps = q.shape[2], keys = k.shape[2];
            var folded = q.reshape(batch, kvHeads, groups * steps, headDim) * (1.0 / Math.Sqrt(headDim));
            var scores = matmul(folded, k.transpose(-1, -2));
            if (mask is not null)
            {
                if (steps > 1 && groups > 1)
                    mask = mask.unsqueeze(2).expand(mask.shape[0], 1, groups, steps, keys).reshape(mask.shape[0], 1, groups * steps, keys);
                scores.add_(mask);
            }
            return matmul(scores.softmax(-1), v).view(batch, heads, steps, headDim);
        }
    }

    sealed class SwiGlu : Module<Tensor, Tensor>
    {
        readonly Linear gate_proj, up_proj, down_proj;

        public SwiGlu(ModelConfig config, Device? device) : base("mlp")
        {
            gate_proj = Linear(config.HiddenSize, config.IntermediateSize, hasBias: false, device: device);
            up_proj = Linear(config.HiddenSize, config.IntermediateSize, hasBias: false, device: device);
            down_proj = Linear(config.IntermediateSize, config.HiddenSize, hasBias: false, device: device);
            register_module("gate_proj", gate_proj);
            register_module("up_proj", up_proj);
            register_module("down_proj", down_proj);
        }

        public override Tensor forward(Tensor x) => down_proj.forward(functional.silu(gate_proj.forward(x)) * up_proj.forward(x));
    }
}
