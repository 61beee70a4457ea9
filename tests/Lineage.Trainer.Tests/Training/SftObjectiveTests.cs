using Lineage.Trainer.Tests.Model;
using Lineage.Trainer.Training;
using static TorchSharp.torch;

namespace Lineage.Trainer.Tests.Training;

public sealed class SftObjectiveTests
{
    static readonly SftExample[] Examples =
    [
        new([1, 2, 3], [4, 5, 10]),
        new([6, 2], [7, 7, 8, 10]),
        new([9, 1, 1, 2], [3, 10]),
    ];

    [Fact]
    public void Prompt_tokens_contribute_no_loss()
    {
        using var model = TinyModels.WithFixedWeights(TinyModels.Config(layers: 2));
        using var batch = SftBatch.Padded(Examples, maxSeqLen: 64, padId: 0);
        var logits = model.Forward(batch.InputIds).detach().requires_grad_(true);
        SftObjective.Loss(logits, batch).backward();
        var gradPerPosition = logits.grad!.abs().sum(-1);

        var mask = batch.LossMask.data<float>().ToArray();
        var grads = gradPerPosition.data<float>().ToArray();
        for (int i = 0; i < mask.Length; i++)
            if (mask[i] == 0) Assert.Equal(0f, grads[i]);
            else Assert.True(grads[i] > 0, $"completion position {i} has no gradient");
        Assert.Equal(Examples.Sum(e => e.Completion.Length), (int)mask.Sum());
    }

    [Fact]
    public void Packed_rows_give_the_same_loss_as_padded_rows()
    {
        using var model = TinyModels.WithFixedWeights(TinyModels.Config(layers: 2));
        using var padded = SftBatch.Padded(Examples, 64, 0);
        using var packed = SftBatch.Packed(Examples, 64, 0);
        Assert.Equal(1, packed.InputIds.shape[0]);
        var a = SftObjective.Evaluate(model, padded).Loss.item<float>();
        var b = SftObjective.Evaluate(model, packed).Loss.item<float>();
        Assert.Equal(a, b, 4);
    }

    [Fact]
    public void Packing_never_splits_an_example_across_rows()
    {
        using var packed = SftBatch.Packed(Examples, maxSeqLen: 8, padId: 0);
        // Lengths 6, 6, 6 tokens -> 5 shifted slots each; 7 slots per row -> one example per row.
        Assert.Equal(3, packed.InputIds.shape[0]);
        Assert.Equal(Examples.Sum(e => e.Completion.Length), packed.CompletionTokens);
    }
}
