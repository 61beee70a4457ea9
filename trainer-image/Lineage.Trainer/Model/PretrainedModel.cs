using Lineage.Contracts.Config;
using Lineage.Trainer.Checkpoints;
using Lineage.Trainer.Sampling;
using Lineage.Trainer.Tasks;
using Lineage.Trainer.Tokenization;
using Lineage.Trainer.Training;
using static TorchSharp.torch;

namespace Lineage.Trainer.Model;

/// <summary>
/// A causal LM together with what makes it usable on problems: its tokenizer, generation config and
/// prompt format. Loads from and saves to a Hugging Face model directory.
/// </summary>
public sealed class PretrainedModel : IDisposable
{
    public CausalLM Model { get; }
    public ITextTokenizer Tokenizer { get; }
    public GenerationConfig Generation { get; }
    public PromptFormat Format { get; }

    PretrainedModel(CausalLM model, ITextTokenizer tokenizer, GenerationConfig generation)
    {
        (Model, Tokenizer, Generation) = (model, tokenizer, generation);
        Format = PromptFormat.For(tokenizer, preferChat: false);
    }

    /// <summary>Loads a model directory onto <paramref name="device"/> (null: TorchSharp's default device); the files are read on the CPU.</summary>
    public static PretrainedModel Load(string directory, Device? device = null)
    {
        using var files = ModelDirectory.Read(directory);
        var model = new CausalLM(files.Config, device);
        WeightLoading.LoadInto(model, files.Weights, files.Config.TieWordEmbeddings, directory: directory);
        return new PretrainedModel(model, files.Tokenizer, files.Generation);
    }

    /// <summary>A fresh model shaped by <paramref name="init"/> on <paramref name="device"/>; weights ~ N(0, 0.02) as HF's initializer_range,
    /// seeded and drawn on the CPU, so a seed gives the same weights on every device.</summary>
    public static PretrainedModel Create(ModelInit init, ITextTokenizer tokenizer, long seed, Device? device = null)
    {
        var config = new ModelConfig
        {
            VocabSize = tokenizer.VocabSize,
            HiddenSize = init.HiddenSize,
            IntermediateSize = init.IntermediateSize,
            NumHiddenLayers = init.NumHiddenLayers,
            NumAttentionHeads = init.NumAttentionHeads,
            NumKeyValueHeads = init.NumKeyValueHeads,
            MaxPositionEmbeddings = init.MaxPositionEmbeddings,
            RopeTheta = init.RopeTheta,
            TieWordEmbeddings = init.TieWordEmbeddings,
            ModelType = init.AttentionBias ? "qwen2" : "llama",
            Architectures = [init.AttentionBias ? "Qwen2ForCausalLM" : "LlamaForCausalLM"],
            BosTokenId = tokenizer.BosId,
            EosTokenId = System.Text.Json.JsonSerializer.SerializeToElement(tokenizer.EosId),
            PadTokenId = tokenizer.PadId,
        };
        var model = new CausalLM(config, device);
        // A generator of its own, not the global one: runs in parallel (tests, the demo) would interleave global draws.
        using var generator = new Generator().manual_seed(seed);
        using (no_grad())
            foreach (var (name, p) in model.named_parameters())
                if (name.EndsWith("norm.weight")) p.fill_(1.0);
                else if (name.EndsWith(".bias")) p.zero_();
                else
                {
                    using var drawn = empty(p.shape, device: CPU).normal_(0, 0.02, generator);
                    p.copy_(drawn);
                }
        var generation = new GenerationConfig { BosTokenId = tokenizer.BosId, EosTokenId = config.EosTokenId, PadTokenId = tokenizer.PadId };
        return new PretrainedModel(model, tokenizer, generation);
    }

    public void Save(string directory) =>
        ModelDirectory.Write(directory, Model.Config, Model.state_dict(), Tokenizer, Generation);

    public SftExample Example(Problem problem)
    {
        var e = Format.Tokenize(Tokenizer, problem.Prompt, problem.Reasoning, problem.Answer);
        return new SftExample(e.PromptIds.ToArray(), e.CompletionIds.ToArray());
    }

    public IReadOnlyList<int> PromptIds(Problem problem) => Format.PromptIds(Tokenizer, problem.Prompt);

    /// <summary>Stops on the end of turn, every eos the model declares, and the sampling config's stop strings.</summary>
    public StopCriteria Stop(SamplingConfig sampling)
    {
        var eos = new HashSet<int>(Generation.EosTokenIds.Concat(Model.Config.EosTokenIds)) { Format.EndOfTurn(Tokenizer), Tokenizer.EosId };
        return new StopCriteria(eos, sampling.Stop, ids => Tokenizer.Decode(ids));
    }

    public string Decode(IEnumerable<int> ids) => Tokenizer.Decode(ids);

    public void Dispose() => Model.Dispose();
}
