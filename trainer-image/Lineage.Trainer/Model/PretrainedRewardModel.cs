using System.Text.Json;
using Lineage.Contracts.Config;
using Lineage.Trainer.Checkpoints;
using Lineage.Trainer.Preferences;
using Lineage.Trainer.Tokenization;
using static TorchSharp.torch;

namespace Lineage.Trainer.Model;

/// <summary>
/// A reward model with what makes it usable on text: tokenizer and prompt format. It scores
/// (prompt, completion) exactly as the policy sees them: the prompt format's prompt ids, the
/// completion's ids, then the end-of-turn token the head reads at.
/// </summary>
public sealed class PretrainedRewardModel : IDisposable
{
    public RewardModel Model { get; }
    public ITextTokenizer Tokenizer { get; }
    public GenerationConfig Generation { get; }
    public PromptFormat Format { get; }

    PretrainedRewardModel(RewardModel model, ITextTokenizer tokenizer, GenerationConfig generation)
    {
        (Model, Tokenizer, Generation) = (model, tokenizer, generation);
        Format = PromptFormat.For(tokenizer, preferChat: false);
    }

    /// <summary>
    /// A reward model directory as saved by <see cref="Save"/>, or a causal LM directory: its decoder
    /// stack is kept, lm_head dropped, and a fresh score head drawn ~ N(0, 0.02) with <paramref name="seed"/>.
    /// </summary>
    /// <param name="device">Where the model goes (null: TorchSharp's default device).</param>
    public static PretrainedRewardModel Load(string directory, long seed = 1, Device? device = null)
    {
        using var files = ModelDirectory.Read(directory);
        bool isRewardModel = RewardModel.IsRewardModelConfig(files.Config);
        var config = AsRewardModelConfig(files.Config);
        var model = new RewardModel(config, device);
        if (isRewardModel)
        {
            WeightLoading.LoadInto(model, files.Weights, tied: false, directory: directory);
        }
        else
        {
            var backbone = files.Weights.Where(kv => kv.Key != WeightLoading.OutputName).ToDictionary();
            var report = WeightLoading.LoadInto(model, backbone, tied: false, strict: false);
            if (report.Unexpected.Count > 0 || report.ShapeMismatches.Count > 0 || !report.Missing.SequenceEqual([RewardModel.ScoreWeightName]))
                throw new InvalidDataException($"{directory}: not a causal LM whose decoder a reward model can reuse: {report}");
            model.InitialiseHead(seed);
        }
        return new PretrainedRewardModel(model, files.Tokenizer, files.Generation);
    }

    /// <summary>A fresh reward model shaped by <paramref name="init"/>, initialised like <see cref="PretrainedModel.Create"/>.</summary>
    public static PretrainedRewardModel Create(ModelInit init, ITextTokenizer tokenizer, long seed, Device? device = null)
    {
        using var lm = PretrainedModel.Create(init, tokenizer, seed, device);
        var model = new RewardModel(AsRewardModelConfig(lm.Model.Config), device);
        var weights = lm.Model.state_dict().Where(kv => kv.Key != WeightLoading.OutputName).ToDictionary();
        WeightLoading.LoadInto(model, weights, tied: false, strict: false);
        model.InitialiseHead(seed);
        return new PretrainedRewardModel(model, tokenizer, lm.Generation);
    }

    /// <summary>config.json as HF writes a one-label sequence classifier: architecture, num_labels = 1, pad_token_id.</summary>
    public static ModelConfig AsRewardModelConfig(ModelConfig config)
    {
        var extra = new Dictionary<string, JsonElement>(config.Extra ?? []) { ["num_labels"] = JsonSerializer.SerializeToElement(1) };
        return config with { Architectures = [RewardModel.ArchitectureFor(config)], Extra = extra };
    }

    public void Save(string directory) =>
        ModelDirectory.Write(directory, Model.Config, Model.state_dict(), Tokenizer, Generation);

    /// <summary>Token ids the head scores: prompt (as the policy saw it), completion, end of turn.</summary>
    public int[] SequenceIds(string prompt, string completion)
    {
        var ids = new List<int>(Format.PromptIds(Tokenizer, prompt));
        ids.AddRange(Tokenizer.Encode(completion));
        ids.Add(Format.EndOfTurn(Tokenizer));
        return ids.ToArray();
    }

    /// <summary>Rewards for (prompt, completion) pairs, without gradients, <paramref name="batchSize"/> sequences per forward.</summary>
    public double[] Score(IReadOnlyList<(string Prompt, string Completion)> items, int batchSize = 32)
    {
        var scores = new double[items.Count];
        bool wasTraining = Model.training;
        Model.eval();
        try
        {
            using var noGrad = no_grad();
            for (int start = 0; start < items.Count; start += batchSize)
            {
                using var scope = NewDisposeScope();
                var chunk = items.Skip(start).Take(batchSize).Select(i => SequenceIds(i.Prompt, i.Completion)).ToList();
                using var batch = SequenceBatch.RightPadded(chunk, int.MaxValue, Tokenizer.PadId, Model.Device);
                var values = Model.forward(batch.Ids, batch.Lengths).to_type(ScalarType.Float64).data<double>().ToArray();
                values.CopyTo(scores, start);
            }
        }
        finally
        {
            Model.train(wasTraining);
        }
        return scores;
    }

    public void Dispose() => Model.Dispose();
}
