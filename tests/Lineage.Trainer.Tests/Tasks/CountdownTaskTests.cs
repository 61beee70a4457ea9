using Lineage.Contracts.Config;
using Lineage.Trainer.Rewards;
using Lineage.Trainer.Tasks;
using Xunit;

namespace Lineage.Trainer.Tests.Tasks;

public sealed class CountdownTaskTests
{
    [Fact]
    public void Prompt_lists_the_numbers_then_the_target()
    {
        Assert.Equal("countdown 25 50 3 7 -> 72", CountdownTask.Prompt([25, 50, 3, 7], 72));
    }

    [Fact]
    public void Every_one_of_10k_generated_puzzles_is_solved_by_its_answer_and_its_steps()
    {
        var problems = ProblemSet.Load(new DataConfig { Task = CountdownTask.Name, Count = 10_000, Seed = 3 });

        foreach (var problem in problems)
        {
            Assert.Equal(4, problem.Numbers!.Count);
            Assert.All(problem.Numbers, n => Assert.InRange(n, 1, 25));
            Assert.InRange(problem.Target!.Value, 1, 100);
            Assert.DoesNotContain(problem.Target.Value, problem.Numbers);
            Assert.Equal(CountdownTask.Prompt(problem.Numbers, problem.Target.Value), problem.Prompt);
            Assert.True(CountdownExpression.Solves(problem.Answer, problem.Numbers, problem.Target.Value), problem.Answer);
            AssertStepsReachTarget(problem);
        }
    }

    [Fact]
    public void Knobs_set_how_many_numbers_and_how_large()
    {
        var problems = ProblemSet.Load(new DataConfig { Task = CountdownTask.Name, Count = 300, Numbers = 3, MaxNumber = 10, MaxTarget = 50 });

        Assert.All(problems, p =>
        {
            Assert.Equal(3, p.Numbers!.Count);
            Assert.All(p.Numbers, n => Assert.InRange(n, 1, 10));
            Assert.InRange(p.Target!.Value, 1, 50);
        });
    }

    /// <summary>Each step "a op b = r" uses two values still in the pool (given numbers or earlier results).</summary>
    static void AssertStepsReachTarget(Problem problem)
    {
        var pool = problem.Numbers!.Select(n => (long)n).ToList();
        foreach (var step in problem.Reasoning!.Split('|'))
        {
            var (expression, result) = (step.Split('=')[0], long.Parse(step.Split('=')[1]));
            int opAt = expression.IndexOfAny(['+', '-', '*', '/'], 1);
            long a = long.Parse(expression[..opAt]), b = long.Parse(expression[(opAt + 1)..]);
            Assert.True(pool.Remove(a) && pool.Remove(b), $"{step} uses a value not in the pool");
            Assert.Equal(result, expression[opAt] switch { '+' => a + b, '-' => a - b, '*' => a * b, _ => a / b });
            if (expression[opAt] == '/') Assert.Equal(0, a % b);
            Assert.True(result > 0);
            pool.Add(result);
        }
        Assert.Equal([(long)problem.Target!.Value], pool);
    }
}
