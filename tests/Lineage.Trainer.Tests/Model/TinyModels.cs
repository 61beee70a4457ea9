using Lineage.Trainer.Model;
using static TorchSharp.torch;

namespace Lineage.Trainer.Tests.Model;

/// <summary>Small, fully deterministic models for tests: weights from a formula, not from a RNG.</summary>
static class TinyModels
{
    public static ModelConfig Config(bool qwen2 = false, bool tied = false, int layers = 1, int vocab = 11) => new()
    {
        ModelType = qwen2 ? "qwen2" : "llama",
        Architectures = [qwen2 ? "Qwen2ForCausalLM" : "LlamaForCausalLM"],
        VocabSize = vocab,
        HiddenSize = 8,
        IntermediateSize = 12,
        NumHiddenLayers = layers,
        NumAttentionHeads = 2,
        NumKeyValueHeads = 1,
        MaxPositionEmbeddings = 64,
        RopeTheta = 10000,
        RmsNormEps = 1e-6,
        TieWordEmbeddings = tied,
    };

    /// <summary>Sets every parameter to a smooth deterministic pattern distinct per tensor.</summary>
    public static CausalLM WithFixedWeights(ModelConfig config) => FillFixed(new CausalLM(config));

    /// <summary>Overwrites every parameter of <paramref name="model"/> with the pattern of <see cref="WithFixedWeights"/>.</summary>
    public static CausalLM FillFixed(CausalLM model)
    {
        using var noGrad = no_grad();
        int t = 0;
        foreach (var (name, p) in model.named_parameters())
        {
            t++;
            var values = new float[p.numel()];
            for (int i = 0; i < values.Length; i++) values[i] = (float)(0.4 * Math.Sin(0.37 * i + 1.3 * t) + (name.EndsWith("norm.weight") ? 1.0 : 0.0));
            p.copy_(tensor(values).view(p.shape));
        }
        return model;
    }

    public static double[] Values(CausalLM model, string name) =>
        model.state_dict()[name].to_type(ScalarType.Float64).data<double>().ToArray();
}
