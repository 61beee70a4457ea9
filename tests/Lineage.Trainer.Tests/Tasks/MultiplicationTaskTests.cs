using System.Numerics;
using Lineage.Trainer.Rewards;
using Lineage.Trainer.Tasks;
using Xunit;

namespace Lineage.Trainer.Tests.Tasks;

public sealed class MultiplicationTaskTests
{
    [Fact]
    public void Writes_shifted_partial_products_then_their_sum()
    {
        var problem = MultiplicationTask.Create(47, 85);

        Assert.Equal("47*85=", problem.Prompt);
        Assert.Equal("47*5=235|47*80=3760|235+3760=3995", problem.Reasoning);
        Assert.Equal("3995", problem.Answer);
    }

    [Fact]
    public void Three_digit_products_keep_a_running_sum_and_zero_partials()
    {
        var problem = MultiplicationTask.Create(123, 405);

        Assert.Equal("123*5=615|123*0=0|123*400=49200|615+0=615|615+49200=49815", problem.Reasoning);
        Assert.Equal("49815", problem.Answer);
    }

    [Fact]
    public void Every_step_of_10k_generated_traces_is_true_and_ends_at_the_answer()
    {
        foreach (var problem in ProblemFixtures.Generate(MultiplicationTask.Name, count: 10_000, digits: 2))
        {
            var operands = problem.Prompt.TrimEnd('=').Split('*').Select(long.Parse).ToArray();
            Assert.Equal((operands[0] * operands[1]).ToString(), problem.Answer);

            var steps = problem.Reasoning!.Split('|');
            Assert.Equal(3, steps.Length);
            var partials = new List<BigInteger>();
            for (int place = 0; place < 2; place++)
            {
                var (left, right) = Split(steps[place], '*');
                Assert.Equal(operands[0], (long)left);
                Assert.Equal(((operands[1] / (long)Math.Pow(10, place)) % 10) * (long)Math.Pow(10, place), (long)right);
                partials.Add(Result(steps[place]));
                Assert.Equal(left * right, partials[^1]);
            }
            var (first, second) = Split(steps[2], '+');
            Assert.Equal((partials[0], partials[1]), (first, second));
            Assert.Equal(problem.Answer, Result(steps[2]).ToString());
            Assert.True(AnswerVerifier.IsCorrect(problem, problem.Completion));
        }
    }

    static (BigInteger, BigInteger) Split(string step, char op)
    {
        var sides = step.Split('=')[0].Split(op);
        return (BigInteger.Parse(sides[0]), BigInteger.Parse(sides[1]));
    }

    static BigInteger Result(string step) => BigInteger.Parse(step.Split('=')[1]);
}
