using Lineage.Trainer.Objectives;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Lineage.Trainer.Tests.Objectives;

public sealed class TokenLogProbsTests
{
    // Logits ln1, ln2, ln3, ln4 give softmax 1/10, 2/10, 3/10, 4/10 exactly.
    static readonly double[] TenthsLogits = [Math.Log(1), Math.Log(2), Math.Log(3), Math.Log(4)];

    [Fact]
    public void Picks_the_log_softmax_of_each_target_token()
    {
        using var scope = NewDisposeScope();
        var logits = T.Vec([.. TenthsLogits, 5, 5, 5, 5]).reshape(1, 2, 4);
        var targets = tensor(new long[] { 2, 0 }).reshape(1, 2);

        var logp = TokenLogProbs.Compute(logits, targets);

        // token 2 of [.1,.2,.3,.4] → ln 0.3; uniform over 4 → ln 0.25
        T.Close([Math.Log(0.3), Math.Log(0.25)], logp);
        Assert.Equal(new long[] { 1, 2 }, logp.shape);
    }

    [Fact]
    public void Is_unchanged_by_a_huge_common_offset_in_the_logits()
    {
        using var scope = NewDisposeScope();
        // exp(1000) overflows float64; a naive softmax would give NaN.
        var logits = (T.Vec(TenthsLogits) + 1000.0).reshape(1, 1, 4);
        var logp = TokenLogProbs.Compute(logits, tensor(new long[] { 3 }).reshape(1, 1));

        T.Close([Math.Log(0.4)], logp, 1e-10);
    }

    [Fact]
    public void Divides_logits_by_the_sampling_temperature()
    {
        using var scope = NewDisposeScope();
        // [0, 2 ln 2] / 2 = [0, ln 2] → p = [1/3, 2/3]
        var logits = T.Vec(0, 2 * Math.Log(2)).reshape(1, 1, 2);
        var logp = TokenLogProbs.Compute(logits, tensor(new long[] { 1 }).reshape(1, 1), temperature: 2.0);

        T.Close([Math.Log(2.0 / 3.0)], logp);
    }

    [Fact]
    public void Sequence_sum_ignores_padding()
    {
        using var scope = NewDisposeScope();
        var tokenLogp = T.Mat(2, 3, -1, -2, -3, -4, -5, -6);
        var mask = T.Mat(2, 3, 1, 1, 0, 1, 0, 0);

        // −1 + −2 = −3 ; −4
        T.Close([-3, -4], TokenLogProbs.SequenceSum(tokenLogp, mask));
    }

    [Fact]
    public void Rejects_targets_that_do_not_match_the_logits()
    {
        using var scope = NewDisposeScope();
        var ex = Assert.Throws<ArgumentException>(() => TokenLogProbs.Compute(zeros(1, 2, 4, dtype: ScalarType.Float64), zeros(1, 3, dtype: ScalarType.Int64)));
        Assert.Equal("targets", ex.ParamName);
    }
}
