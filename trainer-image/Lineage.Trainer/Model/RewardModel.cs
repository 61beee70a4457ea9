using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Lineage.Trainer.Model;

/// <summary>
/// The causal LM's decoder stack with a scalar head instead of the vocabulary projection: HF's
/// <c>LlamaForSequenceClassification</c> with num_labels = 1. State-dict names are HF's
/// (<c>model.*</c> and <c>score.weight</c> [1, hidden]), so a saved reward model loads in transformers.
/// </summary>
public sealed class RewardModel : Module<Tensor, Tensor, Tensor>
{
    public const string ScoreWeightName = "score.weight";

    // Built tied so it carries no lm_head; only its decoder stack is registered, as "model".
    readonly CausalLM decoder;
    readonly Linear score;

    public ModelConfig Config { get; }

    /// <param name="device">Where every parameter is created (null: TorchSharp's default device).</param>
    public RewardModel(ModelConfig config, Device? device = null) : base(nameof(RewardModel))
    {
        Config = config;
        decoder = new CausalLM(config with { TieWordEmbeddings = true }, device);
        score = Linear(config.HiddenSize, 1, hasBias: false, device: device);
        register_module("model", decoder.DecoderStack);
        register_module("score", score);
    }

    /// <summary>ids [B,T] right-padded, lengths [B] real tokens per row → [B] scalar rewards (read at each row's last real token).</summary>
    public override Tensor forward(Tensor ids, Tensor lengths)
    {
        using var scope = NewDisposeScope();
        var perToken = score.forward(decoder.HiddenStates(ids)).squeeze(-1);
        return RewardHead.AtLastToken(perToken, lengths).MoveToOuterDisposeScope();
    }

    /// <summary>Where the weights live.</summary>
    public Device Device => decoder.Device;

    /// <summary>A fresh head ~ N(0, 0.02), HF's initializer_range, seeded; drawn on the CPU so a seed gives the same head on every device.</summary>
    public void InitialiseHead(long seed, double std = 0.02)
    {
        using var noGrad = no_grad();
        using var generator = new Generator().manual_seed(seed);
        using var drawn = empty(score.weight!.shape, device: CPU).normal_(0, std, generator);
        score.weight!.copy_(drawn);
    }

    /// <summary>HF's architecture name for a scalar-head model of this family.</summary>
    public static string ArchitectureFor(ModelConfig config) =>
        config.IsQwen2 ? "Qwen2ForSequenceClassification" : "LlamaForSequenceClassification";

    public static bool IsRewardModelConfig(ModelConfig config) =>
        config.Architectures.Any(a => a.EndsWith("ForSequenceClassification", StringComparison.Ordinal));
}
