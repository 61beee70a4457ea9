using Lineage.Trainer.Model;
using static TorchSharp.torch;

namespace Lineage.Trainer.Tests.Model;

public sealed class RewardHeadTests
{
    [Fact]
    public void Reads_each_row_at_its_last_real_token()
    {
        using var perToken = tensor(new float[] { 1, 2, 3, 4, 10, 20, 30, 40, 7, 8, 9, 6 }, [3, 4]);
        using var lengths = tensor(new long[] { 4, 2, 1 });

        using var scores = RewardHead.AtLastToken(perToken, lengths);

        Assert.Equal([3L], scores.shape);
        Assert.Equal([4f, 20f, 7f], scores.data<float>().ToArray());
    }

    [Fact]
    public void The_reward_model_gives_one_scalar_per_sequence_independent_of_padding()
    {
        var config = TinyModels.Config(layers: 1, vocab: 11);
        using var model = new RewardModel(config);
        using var noGrad = no_grad();
        using var padded = tensor(new long[] { 1, 2, 3, 4, 5, 6, 0, 0 }, [2, 4]);
        using var lengths = tensor(new long[] { 4, 2 });
        using var alone = tensor(new long[] { 5, 6 }, [1, 2]);
        using var aloneLength = tensor(new long[] { 2 });

        using var scores = model.forward(padded, lengths);
        using var single = model.forward(alone, aloneLength);

        Assert.Equal([2L], scores.shape);
        Assert.Equal(single.item<float>(), scores[1].item<float>(), 5);
    }

    [Fact]
    public void State_dict_names_are_hugging_face_sequence_classifier_names()
    {
        using var model = new RewardModel(TinyModels.Config(tied: false));
        var names = model.state_dict().Keys.ToList();

        Assert.Contains("score.weight", names);
        Assert.Contains("model.embed_tokens.weight", names);
        Assert.DoesNotContain("lm_head.weight", names);
        Assert.Equal([1L, 8L], model.state_dict()["score.weight"].shape);
    }
}
