using Lineage.Trainer.Rewards;
using Lineage.Trainer.Tasks;
using Xunit;

namespace Lineage.Trainer.Tests.Tasks;

public sealed class AdditionTaskTests
{
    [Fact]
    public void Writes_column_sums_least_significant_first_with_carries()
    {
        var problem = AdditionTask.Create(347, 285);

        Assert.Equal("347+285=", problem.Prompt);
        Assert.Equal("7+5+0=12|4+8+1=13|3+2+1=06", problem.Reasoning);
        Assert.Equal("632", problem.Answer);
        Assert.Equal("<think>7+5+0=12|4+8+1=13|3+2+1=06</think><answer>632</answer>", problem.Completion);
    }

    [Fact]
    public void A_final_carry_becomes_the_leading_answer_digit()
    {
        var problem = AdditionTask.Create(999, 1);

        Assert.Equal("9+1+0=10|9+0+1=10|9+0+1=10", problem.Reasoning);
        Assert.Equal("1000", problem.Answer);
    }

    [Fact]
    public void No_carry_keeps_zero_carries_explicit()
    {
        var problem = AdditionTask.Create(123, 456);

        Assert.Equal("3+6+0=09|2+5+0=07|1+4+0=05", problem.Reasoning);
        Assert.Equal("579", problem.Answer);
    }

    [Fact]
    public void Answer_is_the_written_digits_reversed_after_the_last_carry_for_10k_problems()
    {
        foreach (var problem in ProblemFixtures.Generate(AdditionTask.Name, count: 10_000))
        {
            var operands = problem.Prompt.TrimEnd('=').Split('+').Select(long.Parse).ToArray();
            Assert.Equal((operands[0] + operands[1]).ToString(), problem.Answer);

            var steps = problem.Reasoning!.Split('|');
            long carry = 0;
            foreach (var step in steps)
            {
                int a = step[0] - '0', b = step[2] - '0', carryIn = step[4] - '0', carryOut = step[6] - '0', digit = step[7] - '0';
                Assert.Equal(carry, carryIn);
                Assert.Equal(a + b + carryIn, carryOut * 10 + digit);
                carry = carryOut;
            }
            string fromTrace = (carry == 1 ? "1" : "") + new string(steps.Select(s => s[7]).Reverse().ToArray());
            Assert.Equal(problem.Answer, fromTrace);
            Assert.True(AnswerVerifier.IsCorrect(problem, problem.Completion));
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(6)]
    public void Trace_costs_nine_characters_per_column(int digits)
    {
        // Reasoning tokens are what the CPU pays for: the trace must stay linear and fixed-width.
        Assert.All(ProblemFixtures.Generate(AdditionTask.Name, count: 200, digits: digits), p => Assert.Equal(9 * digits - 1, p.Reasoning!.Length));
    }

    [Fact]
    public void Operands_have_exactly_the_configured_digits()
    {
        foreach (var problem in ProblemFixtures.Generate(AdditionTask.Name, count: 500, digits: 4))
            Assert.All(problem.Prompt.TrimEnd('=').Split('+'), operand => Assert.Matches("^[1-9][0-9]{3}$", operand));
    }
}
