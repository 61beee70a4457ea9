using Lineage.Contracts.Config;
using Lineage.Trainer.Preferences;
using Lineage.Trainer.Rewards;
using Lineage.Trainer.Tasks;

namespace Lineage.Trainer.Tests.Preferences;

public sealed class SyntheticPairsTests
{
    [Theory]
    [InlineData("multiplication")]
    [InlineData("addition")]
    [InlineData("countdown")]
    public void Chosen_is_correct_and_well_formed_and_rejected_is_wrong_or_broken(string task)
    {
        var problems = ProblemSet.Load(new DataConfig { Task = task, Digits = 2, Count = 60 });

        var pairs = SyntheticPairs.From(problems, seed: 3);

        Assert.Equal(problems.Count, pairs.Count);
        for (int i = 0; i < pairs.Count; i++)
        {
            Assert.True(AnswerVerifier.IsCorrect(problems[i], pairs[i].Chosen) && ThinkFormat.IsWellFormed(pairs[i].Chosen));
            Assert.False(AnswerVerifier.IsCorrect(problems[i], pairs[i].Rejected) && ThinkFormat.IsWellFormed(pairs[i].Rejected), pairs[i].Rejected);
        }
    }

    [Fact]
    public void The_same_seed_gives_the_same_pairs()
    {
        var problems = ProblemSet.Load(new DataConfig { Task = "multiplication", Digits = 2, Count = 20 });
        Assert.Equal(SyntheticPairs.From(problems, 5), SyntheticPairs.From(problems, 5));
    }

    [Fact]
    public void Synthetic_judgments_score_by_the_verifier_in_the_think_format_the_judge_parses()
    {
        var problems = ProblemSet.Load(new DataConfig { Task = "multiplication", Digits = 2, Count = 80 });

        var rows = SyntheticJudgments.From(problems, JudgePrompt.DefaultPrinciples, maxScore: 10, seed: 1);

        Assert.Equal(problems.Count, rows.Count);
        Assert.Contains(rows, r => r.Answer == "10");
        Assert.Contains(rows, r => r.Answer == "2");
        Assert.Contains(rows, r => r.Answer == "0");
        foreach (var row in rows)
        {
            var verdict = JudgeReply.Parse(row.Completion, 10);
            Assert.True(verdict.Parsed, row.Completion);
            Assert.Equal(row.Reasoning, verdict.Critique);
            Assert.StartsWith("principles: the answer is correct; think, then answer\nproblem: ", row.Prompt);
        }
    }
}

public sealed class WrongWorkTests
{
    [Fact]
    public void A_wrong_partial_product_carries_through_to_a_consistent_wrong_answer()
    {
        var problem = MultiplicationTask.Create(47, 85);
        var random = new Random(0);

        for (int i = 0; i < 20; i++)
        {
            var (reasoning, answer) = WrongWork.Of(problem, random)!.Value;
            var steps = reasoning.Split('|');
            Assert.Equal(3, steps.Length);
            Assert.NotEqual("3995", answer);
            Assert.EndsWith("=" + answer, steps[^1]);
            var partials = steps[..2].Select(s => s.Split('=')[1]).ToArray();
            Assert.StartsWith($"{partials[0]}+{partials[1]}=", steps[2]);
            Assert.Equal(1, steps.Count(s => !StepHolds(s)));
        }
    }

    static bool StepHolds(string step)
    {
        var (expression, result) = (step.Split('=')[0], long.Parse(step.Split('=')[1]));
        var operands = expression.Split('*', '+');
        long value = expression.Contains('*') ? long.Parse(operands[0]) * long.Parse(operands[1]) : long.Parse(operands[0]) + long.Parse(operands[1]);
        return value == result;
    }

    [Fact]
    public void Traces_whose_last_step_is_not_the_answer_have_no_wrong_work() =>
        Assert.Null(WrongWork.Of(AdditionTask.Create(47, 85), new Random(0)));
}
