using Lineage.Contracts.Config;
using Lineage.Trainer.Model;
using Lineage.Trainer.Sampling;
using Lineage.Trainer.Tests.Model;
using static TorchSharp.torch;

namespace Lineage.Trainer.Tests.Sampling;

/// <summary>Counts live tensors process-wide, so it runs alone: no other test creates or frees tensors meanwhile.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LiveTensorCountCollection
{
    public const string Name = "live tensor count";
}

[Collection(LiveTensorCountCollection.Name)]
public sealed class SamplerLeakTests
{
    [Fact]
    public void Many_group_sampling_calls_leave_no_tensor_alive()
    {
        using var model = TinyModels.WithFixedWeights(TinyModels.Config(layers: 2, vocab: 17));
        IReadOnlyList<int>[] prompts = [new[] { 3, 5, 7 }, new[] { 2, 9, 4, 4, 1, 8 }, new[] { 6 }];
        // Token 4 ends about half the rows early, so finished rows also leave the batch along the way.
        var stop = new StopCriteria(new HashSet<int> { 4 }, [], ids => string.Concat(ids.Select(i => (char)('a' + i))));
        var sampling = new SamplingConfig { Temperature = 1.0, MaxNewTokens = 12 };
        var generator = new Generator().manual_seed(3);
        Sampler.GenerateGroups(model, prompts, 4, sampling, stop, generator, padId: 0);
        GC.Collect();
        GC.WaitForPendingFinalizers();

        long before = Tensor.TotalCount;
        var lengths = new List<int>();
        for (int call = 0; call < 25; call++)
        {
            lengths.AddRange(Sampler.GenerateGroups(model, prompts, 4, sampling, stop, generator, padId: 0).Select(c => c.Tokens.Length));
            Sampler.Generate(model, prompts, sampling with { Temperature = 0 }, stop, generator, padId: 0);
        }
        Assert.Equal(before, Tensor.TotalCount);
        Assert.Contains(lengths, n => n < 12);
        Assert.Contains(lengths, n => n == 12);
    }
}
