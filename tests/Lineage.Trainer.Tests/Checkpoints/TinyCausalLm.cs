using TorchSharp;
using static TorchSharp.torch;

namespace Lineage.Trainer.Tests.Checkpoints;

/// <summary>A module whose state_dict uses Hugging Face names (model.embed_tokens.weight, model.norm.weight and,
/// unless tied, lm_head.weight): enough to test weight loading without the real model.</summary>
sealed class TinyCausalLm : nn.Module
{
    public TinyCausalLm(int vocab, int hidden, bool withHead = true) : base(nameof(TinyCausalLm))
    {
        register_module("model", new Body(vocab, hidden));
        if (withHead) register_module("lm_head", nn.Linear(hidden, vocab, hasBias: false));
    }

    sealed class Body : nn.Module
    {
        public Body(int vocab, int hidden) : base(nameof(Body))
        {
            register_module("embed_tokens", nn.Embedding(vocab, hidden));
            register_module("norm", new Norm(hidden));
        }
    }

    sealed class Norm : nn.Module
    {
        public Norm(int hidden) : base(nameof(Norm)) => register_parameter("weight", nn.Parameter(ones(hidden)));
    }
}
