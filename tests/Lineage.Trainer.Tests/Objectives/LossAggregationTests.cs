using Lineage.Trainer.Objectives;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Lineage.Trainer.Tests.Objectives;

public sealed class LossAggregationTests
{
    // Sequence 0 has 3 real tokens (losses 1, 2, 3); sequence 1 has 1 (loss 4) and padding holding 500, 600.
    static Tensor Loss() => T.Mat(2, 3, 1, 2, 3, 4, 500, 600);
    static Tensor Mask() => T.Mat(2, 3, 1, 1, 1, 1, 0, 0);

    [Fact]
    public void Grpo_averages_tokens_within_each_sequence_then_sequences()
    {
        using var scope = NewDisposeScope();
        // (1+2+3)/3 = 2 ; 4/1 = 4 ; mean 3
        T.Close(3.0, LossAggregation.Aggregate(Loss(), Mask(), LossType.Grpo, maxCompletionLength: 4));
    }

    [Fact]
    public void Bnpo_averages_over_all_real_tokens_of_the_batch()
    {
        using var scope = NewDisposeScope();
        // (1+2+3+4)/4 = 2.5: the long sequence's tokens weigh as much as the short one's
        T.Close(2.5, LossAggregation.Aggregate(Loss(), Mask(), LossType.Bnpo, maxCompletionLength: 4));
    }

    [Fact]
    public void Dapo_equals_bnpo_on_a_single_micro_batch()
    {
        using var scope = NewDisposeScope();
        T.Close(2.5, LossAggregation.Aggregate(Loss(), Mask(), LossType.Dapo, maxCompletionLength: 4));
    }

    [Fact]
    public void Dapo_divides_by_the_token_count_of_the_whole_optimiser_step()
    {
        using var scope = NewDisposeScope();
        // this micro-batch holds 4 of the step's 8 tokens: 10/8, so the two micro-batch losses add up to one token mean
        T.Close(1.25, LossAggregation.Aggregate(Loss(), Mask(), LossType.Dapo, maxCompletionLength: 4, dapoTokenCount: 8));
    }

    [Fact]
    public void Dr_grpo_divides_the_sum_by_batch_times_max_completion_length()
    {
        using var scope = NewDisposeScope();
        // 10 / (2 × 4) = 1.25, independent of how many tokens were generated
        T.Close(1.25, LossAggregation.Aggregate(Loss(), Mask(), LossType.DrGrpo, maxCompletionLength: 4));
    }

    [Theory]
    [InlineData(LossType.Grpo)]
    [InlineData(LossType.Bnpo)]
    [InlineData(LossType.Dapo)]
    [InlineData(LossType.DrGrpo)]
    public void Padding_contributes_nothing_even_when_it_is_not_finite(LossType lossType)
    {
        using var scope = NewDisposeScope();
        var clean = LossAggregation.Aggregate(Loss(), Mask(), lossType, 4).ToDouble();
        var poisoned = T.Mat(2, 3, 1, 2, 3, 4, double.NaN, double.PositiveInfinity);
        T.Close(clean, LossAggregation.Aggregate(poisoned, Mask(), lossType, 4));
    }

    [Fact]
    public void An_all_padding_sequence_counts_as_zero_under_grpo()
    {
        using var scope = NewDisposeScope();
        // (1+2+3)/3 = 2 ; 0 / max(0, 1) = 0 ; mean 1  (TRL clamps the per-sequence count at 1)
        T.Close(1.0, LossAggregation.Aggregate(Loss(), T.Mat(2, 3, 1, 1, 1, 0, 0, 0), LossType.Grpo, 4));
    }

    [Fact]
    public void Dr_grpo_rejects_a_max_length_shorter_than_the_completions()
    {
        using var scope = NewDisposeScope();
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => LossAggregation.Aggregate(Loss(), Mask(), LossType.DrGrpo, maxCompletionLength: 2));
        Assert.Equal("maxCompletionLength", ex.ParamName);
    }

    [Fact]
    public void Parses_the_config_spellings()
    {
        Assert.Equal(LossType.Grpo, LossTypes.Parse("grpo"));
        Assert.Equal(LossType.Bnpo, LossTypes.Parse("bnpo"));
        Assert.Equal(LossType.Dapo, LossTypes.Parse("dapo"));
        Assert.Equal(LossType.DrGrpo, LossTypes.Parse("dr_grpo"));
        Assert.Contains("lossType", Assert.Throws<ArgumentException>(() => LossTypes.Parse("drgrpo")).Message);
    }
}
