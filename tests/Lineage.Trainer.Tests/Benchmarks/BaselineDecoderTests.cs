using Lineage.Contracts.Config;
using Lineage.Trainer.Benchmarks;
using Lineage.Trainer.Sampling;
using Lineage.Trainer.Tests.Model;
using static TorchSharp.torch;

namespace Lineage.Trainer.Tests.Benchmarks;

public sealed class BaselineDecoderTests
{
    [Fact]
    public void The_decoder_before_group_sampling_draws_the_tokens_of_the_current_sampler()
    {
        // The rollout benchmark's yardstick must decode the same function, or its speed-up would mean nothing.
        using var model = TinyModels.WithFixedWeights(TinyModels.Config(layers: 2, vocab: 17));
        IReadOnlyList<int>[] prompts = [new[] { 3, 5, 7 }, new[] { 2, 9, 4, 4, 1, 8 }, new[] { 6 }];
        var never = new StopCriteria(new HashSet<int>(), [], ids => string.Concat(ids.Select(i => (char)('a' + i))));
        foreach (var sampling in new[] { new SamplingConfig { Temperature = 0, MaxNewTokens = 12 }, new SamplingConfig { Temperature = 1.0, MaxNewTokens = 12 } })
        {
            var current = Sampler.Generate(model, prompts, sampling, never, new Generator().manual_seed(5), padId: 0).Select(c => c.Tokens);
            var baseline = new BaselineDecoder(model).Generate(prompts, sampling, new Generator().manual_seed(5), padId: 0);
            Assert.Equal(current, baseline);
        }
    }
}
