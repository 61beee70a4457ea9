using Lineage.Contracts.Config;
using Lineage.Trainer.Model;
using Lineage.Trainer.Tests.Model;
using Lineage.Trainer.Training;
using static TorchSharp.torch;

namespace Lineage.Trainer.Tests.Training;

public sealed class TrainingLoopTests
{
    [Fact]
    public void Sft_learns_to_complete_a_fixed_mapping_and_then_greedy_decoding_reproduces_it()
    {
        manual_seed(3);
        var config = TinyModels.Config(layers: 2, vocab: 16) with { HiddenSize = 32, IntermediateSize = 64, NumAttentionHeads = 4, NumKeyValueHeads = 2 };
        using var model = new CausalLM(config);
        // Prompt "a b" -> completion "b a b+1 EOS": needs attention to earlier tokens.
        var examples = Enumerable.Range(1, 6).Select(a => new SftExample([a, a + 6], [a + 6, a, (a + 1) % 13 + 1, 15])).ToList();
        var optim = new OptimConfig { LearningRate = 1e-2, WarmupSteps = 5, MinLearningRateRatio = 0.1, WeightDecay = 0.0 };
        using var adam = new AdamW(model.named_parameters(), optim.Beta1, optim.Beta2, optim.Epsilon, optim.WeightDecay);
        var loop = new TrainingLoop(adam, optim, totalSteps: 150);

        double first = 0, last = 0;
        for (int step = 0; step < 150; step++)
        {
            using var batch = SftBatch.Padded(examples, 16, 0);
            var m = loop.Step(step, [batch], b => SftObjective.Evaluate(model, b));
            if (step == 0) first = m.Loss;
            last = m.Loss;
            Assert.True(double.IsFinite(m.GradNorm));
        }
        Assert.True(last < first / 20, $"loss {first} -> {last}");

        var stop = new Lineage.Trainer.Sampling.StopCriteria(new HashSet<int> { 15 }, [], _ => "");
        var outputs = Lineage.Trainer.Sampling.Sampler.Generate(model, examples.Select(e => (IReadOnlyList<int>)e.Prompt).ToList(),
            new SamplingConfig { Temperature = 0, MaxNewTokens = 6 }, stop, new Generator().manual_seed(1), padId: 0);
        for (int i = 0; i < examples.Count; i++) Assert.Equal(examples[i].Completion[..^1], outputs[i].Tokens);
    }
}
