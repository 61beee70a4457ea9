using Lineage.Trainer.Objectives;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Lineage.Trainer.Tests.Objectives;

public sealed class TokenEntropyTests
{
    [Fact]
    public void Is_minus_sum_p_log_p_of_the_next_token_distribution()
    {
        using var scope = NewDisposeScope();
        var logits = T.Vec(Math.Log(1), Math.Log(2), Math.Log(3), Math.Log(4), 7, 7, 7, 7).reshape(1, 2, 4);

        var entropy = TokenEntropy.Compute(logits);

        // p = .1 .2 .3 .4 → −(.1 ln .1 + .2 ln .2 + .3 ln .3 + .4 ln .4) ≈ 1.27985; uniform over 4 → ln 4
        var h = -(0.1 * Math.Log(0.1) + 0.2 * Math.Log(0.2) + 0.3 * Math.Log(0.3) + 0.4 * Math.Log(0.4));
        T.Close([h, Math.Log(4)], entropy);
    }

    [Fact]
    public void Is_zero_not_NaN_where_the_vocabulary_is_masked_out()
    {
        using var scope = NewDisposeScope();
        // A −inf logit (masked token) has p = 0 and log p = −inf: 0 · (−inf) must count as 0, not NaN.
        var entropy = TokenEntropy.Compute(T.Vec(0, double.NegativeInfinity, 3000, 0).reshape(1, 2, 2));
        // second position: softmax([3000, 0]) = [1, e^−3000 = 0] → 0
        T.Close([0.0, 0.0], entropy);
    }

    [Fact]
    public void Rises_with_temperature()
    {
        using var scope = NewDisposeScope();
        // [0, 2 ln 2] at T = 2 is [0, ln 2] → p = [1/3, 2/3]
        var entropy = TokenEntropy.Compute(T.Vec(0, 2 * Math.Log(2)).reshape(1, 1, 2), temperature: 2.0);
        T.Close([-(1.0 / 3 * Math.Log(1.0 / 3) + 2.0 / 3 * Math.Log(2.0 / 3))], entropy);
    }
}
