using Lineage.Trainer.Distillation;

namespace Lineage.Trainer.Tests.Distillation;

public sealed class InternalisationTests
{
    [Theory]
    [InlineData(0.80, 0.70, 0.90, 0.5)]     // half of the 20-point strategy gain, answered greedily
    [InlineData(0.90, 0.70, 0.90, 1.0)]     // all of it
    [InlineData(0.95, 0.70, 0.90, 1.25)]    // more than the strategy gave
    [InlineData(0.70, 0.70, 0.90, 0.0)]     // none
    [InlineData(0.60, 0.70, 0.85, -2.0 / 3)] // the student is worse than the teacher's greedy answers
    public void Is_the_share_of_the_strategys_gain_the_student_answers_greedily(double student, double greedy, double withStrategy, double expected)
    {
        Assert.Equal(expected, Internalisation.Of(student, greedy, withStrategy)!.Value, precision: 12);
    }

    [Theory]
    [InlineData(0.80, 0.70, 0.70)]
    [InlineData(0.80, 0.70, 0.65)]
    public void Is_undefined_when_the_strategy_gained_nothing(double student, double greedy, double withStrategy)
    {
        Assert.Null(Internalisation.Of(student, greedy, withStrategy));
    }
}
