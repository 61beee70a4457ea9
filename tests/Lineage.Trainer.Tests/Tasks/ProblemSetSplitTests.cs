using Lineage.Contracts.Config;
using Lineage.Trainer.Tasks;
using Xunit;

namespace Lineage.Trainer.Tests.Tasks;

public sealed class ProblemSetSplitTests
{
    [Theory]
    [InlineData("addition", 3)]
    [InlineData("multiplication", 2)]
    [InlineData("countdown", 3)]
    public void No_test_problem_ever_appears_in_train(string task, int digits)
    {
        var generator = GeneratedProblems.GeneratorFor(new DataConfig { Task = task, Digits = digits });
        var test = ProblemFixtures.Generate(task, "test", count: 500, digits: digits).Select(generator.SplitKey).ToHashSet();
        var train = ProblemFixtures.Generate(task, "train", count: 5000, digits: digits)
            .Concat(ProblemFixtures.Generate(task, "train", count: 5000, seed: 2, digits: digits));

        Assert.Equal(500, test.Count);
        Assert.DoesNotContain(train, p => test.Contains(generator.SplitKey(p)));
    }

    [Fact]
    public void Countdown_puzzles_with_the_same_numbers_in_another_order_share_a_split()
    {
        var generator = new CountdownTask(4, 100, 25);
        var shuffled = generator.SplitKey(ProblemFixtures.Countdown(72, 25, 50, 3, 7));
        var sorted = generator.SplitKey(ProblemFixtures.Countdown(72, 3, 7, 25, 50));

        Assert.Equal(sorted, shuffled);
    }

    [Fact]
    public void Test_split_is_about_a_tenth_of_all_problems()
    {
        var keys = Enumerable.Range(0, 100_000).Select(i => $"{i}+{i * 7}=");
        double share = keys.Count(k => SplitAssignment.Of(k) == SplitAssignment.Test) / 100_000.0;

        Assert.InRange(share, 0.09, 0.11);
    }

    [Fact]
    public void Same_seed_gives_the_same_problems_and_another_seed_does_not()
    {
        string Jsonl(int seed) => ProblemSetJsonlTests.ToJsonl(ProblemFixtures.Generate(CountdownTask.Name, count: 300, seed: seed));

        Assert.Equal(Jsonl(7), Jsonl(7));
        Assert.NotEqual(Jsonl(7), Jsonl(8));
    }

    [Fact]
    public void Test_problems_are_distinct_and_ids_name_task_split_and_index()
    {
        var test = ProblemFixtures.Generate(MultiplicationTask.Name, "test", count: 400, digits: 2);

        Assert.Equal(400, test.Select(p => p.Prompt).Distinct().Count());
        Assert.Equal("multiplication-test-00000", test[0].Id);
        Assert.Equal("multiplication-test-00399", test[^1].Id);
    }

    [Fact]
    public void Asking_for_more_distinct_test_problems_than_exist_names_the_count_field()
    {
        // 1-digit addition has 100 problems, about 10 of them in test.
        var error = Assert.Throws<ConfigError>(() => ProblemFixtures.Generate(AdditionTask.Name, "test", count: 50, digits: 1));

        Assert.StartsWith("data.count:", error.Message);
        Assert.Contains("test split", error.Message);
    }

    public static TheoryData<DataConfig, string> InvalidConfigs => new()
    {
        { new DataConfig { Task = "division" }, "data.task" },
        { new DataConfig { Task = "addition", Path = "x.jsonl" }, "data.task" },
        { new DataConfig { Task = "addition", Count = 0 }, "data.count" },
        { new DataConfig { Task = "countdown", MaxNumber = 0 }, "data.maxNumber" },
        { new DataConfig { Task = "addition", Split = "validation" }, "data.split" },
    };

    [Theory]
    [MemberData(nameof(InvalidConfigs))]
    public void Invalid_config_is_rejected_with_the_field_named(DataConfig data, string field)
    {
        var error = Assert.Throws<ConfigError>(() => ProblemSet.Load(data));

        Assert.Contains($"{field}:", error.Message);
    }
}
