using Lineage.Contracts.Config;
using Lineage.Trainer.Tasks;

namespace Lineage.Trainer.Tests.Tasks;

/// <summary>Small builders shared by the task and reward tests.</summary>
internal static class ProblemFixtures
{
    public static IReadOnlyList<Problem> Generate(string task, string split = "train", int count = 200, int seed = 1, int digits = 3) =>
        ProblemSet.Load(new DataConfig { Task = task, Split = split, Count = count, Seed = seed, Digits = digits });

    public static Problem Countdown(int target, params int[] numbers) =>
        new("cd", CountdownTask.Name, CountdownTask.Prompt(numbers, target), "", null, numbers, target);

    public static Problem Numeric(string answer) => new("n", "jsonl", "q", answer);
}
