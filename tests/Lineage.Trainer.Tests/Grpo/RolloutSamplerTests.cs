using Lineage.Contracts.Config;
using Lineage.Trainer.Grpo;
using Lineage.Trainer.Model;
using Lineage.Trainer.Tasks;
using Lineage.Trainer.Tokenization;
using TorchSharp;
using static TorchSharp.torch;

namespace Lineage.Trainer.Tests.Grpo;

public sealed class RolloutSamplerTests
{
    [Fact]
    public void Greedy_rollouts_of_prompts_of_different_lengths_are_the_argmax_of_the_loss_forward()
    {
        // What GRPO trains must be what was sampled: the KV-cache sampler (left padding) and the loss forward
        // (right padding, completion-aligned gather) have to agree token by token.
        using var policy = PretrainedModel.Create(TinyGrpo.Shape, BuiltInTokenizer.Create(), seed: 3);
        Problem[] problems = [new("a", "t", "1+1=", "2"), new("b", "t", "123+4567=", "4690"), new("c", "t", "9=", "9")];
        var sampling = new SamplingConfig { Temperature = 0, MaxNewTokens = 6, Stop = [] };
        var rollouts = RolloutSampler.Sample(policy, problems, groupSize: 2, sampling, new Generator().manual_seed(1));
        Assert.Equal(6, rollouts.Count);
        Assert.All(rollouts, r => Assert.True(r.CompletionIds.Length > 0));

        using var scope = NewDisposeScope();
        using var batch = RolloutBatch.Build(rollouts, new float[rollouts.Count], maskTruncated: false, policy.Tokenizer.PadId);
        using var noGrad = no_grad();
        var predicted = Lineage.Trainer.Grpo.GrpoObjective.CompletionLogits(policy.Model, batch).argmax(-1);
        for (int b = 0; b < rollouts.Count; b++)
            for (int t = 0; t < rollouts[b].CompletionIds.Length; t++)
                Assert.Equal(rollouts[b].CompletionIds[t], (int)predicted[b, t].item<long>());
    }
}
