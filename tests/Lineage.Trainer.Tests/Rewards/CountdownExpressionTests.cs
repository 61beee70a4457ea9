using Lineage.Trainer.Rewards;
using Lineage.Trainer.Tests.Tasks;
using Xunit;

namespace Lineage.Trainer.Tests.Rewards;

public sealed class CountdownExpressionTests
{
    static readonly int[] Numbers = [25, 50, 3, 7];

    [Theory]
    [InlineData("50+25-3")]
    [InlineData("25+50-3")]
    [InlineData("50+(25-3)")]
    [InlineData(" 50 + 25 − 3 ")]
    public void Accepts_expressions_that_reach_the_target_with_a_subset_of_the_numbers(string expression)
    {
        Assert.True(CountdownExpression.Solves(expression, Numbers, 72));
    }

    [Theory]
    [InlineData("6÷3×4")]
    [InlineData("4*6/3")]
    [InlineData("(6/3)*4")]
    public void Accepts_unicode_and_ascii_multiplication_and_division(string expression)
    {
        Assert.True(CountdownExpression.Solves(expression, [6, 4, 3], 8));
    }

    [Fact]
    public void Any_correct_solution_counts_not_only_the_generated_one()
    {
        var puzzle = ProblemFixtures.Countdown(24, 4, 6, 1, 1) with { Answer = "4*6*1*1" };

        Assert.True(AnswerVerifier.IsCorrectAnswer(puzzle, "4*6*1*1"));
        Assert.True(AnswerVerifier.IsCorrectAnswer(puzzle, "4*6"));
        Assert.True(AnswerVerifier.IsCorrectAnswer(puzzle, "6*(4+1-1)"));
        Assert.True(AnswerVerifier.IsCorrect(puzzle, "<think>6*4=24</think><answer>(6*4)/(1*1)</answer>"));
    }

    [Theory]
    [InlineData("(50-25)*3-3", "3 is given once")]
    [InlineData("50+25-3+7-7", "7 is given once")]
    [InlineData("72", "72 is not a given number")]
    [InlineData("50+22", "22 is not a given number")]
    public void Rejects_numbers_used_more_often_than_given(string expression, string why)
    {
        Assert.False(CountdownExpression.Solves(expression, Numbers, 72), why);
    }

    [Theory]
    [InlineData("50+25")]       // 75
    [InlineData("50/(7-7)")]    // division by zero
    [InlineData("")]
    [InlineData("50+")]
    [InlineData("(50+25-3")]
    [InlineData("50+25-3)")]
    [InlineData("-3+75")]       // no unary minus
    [InlineData("50+25-3=72")]  // an equation is not an expression
    [InlineData("50.0+22")]
    [InlineData("2**36")]
    [InlineData("Math.Pow(2,6)")]
    public void Rejects_wrong_values_and_malformed_expressions(string expression)
    {
        Assert.False(CountdownExpression.Solves(expression, [25, 50, 3, 7, 2, 22, 75, 6, 36], 72));
    }

    [Fact]
    public void Evaluates_exactly_so_fractions_in_between_are_fine_but_truncation_is_not()
    {
        Assert.True(CountdownExpression.Solves("(1+1/3)*6", [1, 1, 3, 6], 8));
        Assert.True(CountdownExpression.Solves("7/2*2", [7, 2, 2], 7));
        Assert.False(CountdownExpression.Solves("7/2", [7, 2], 3));
    }

    [Fact]
    public void Deep_nesting_is_refused_rather_than_recursing_without_bound()
    {
        string deep = new string('(', 40) + "1" + new string(')', 40);

        Assert.False(CountdownExpression.Solves(deep, [1], 1));
        Assert.True(CountdownExpression.Solves("((((1))))", [1], 1));
    }
}
