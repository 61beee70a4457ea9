using Lineage.Contracts.Config;

namespace Lineage.Trainer.Tasks;

/// <summary>
/// Draws problems of one split from a seeded generator. Train is a stream (draws with replacement);
/// test holds distinct problems so every held-out problem counts once.
/// </summary>
public static class GeneratedProblems
{
    public static IProblemGenerator GeneratorFor(DataConfig data) => data.Task switch
    {
        AdditionTask.Name => new AdditionTask(data.Digits),
        MultiplicationTask.Name => new MultiplicationTask(data.Digits),
        CountdownTask.Name => new CountdownTask(data.Numbers, data.MaxTarget, data.MaxNumber),
        _ => throw new ConfigError($"data.task: must be one of {string.Join(", ", DataConfig.Tasks)} (got '{data.Task}')"),
    };

    public static IReadOnlyList<Problem> Draw(IProblemGenerator generator, string split, int count, int seed)
    {
        var random = new Random(seed);
        bool distinct = split == SplitAssignment.Test;
        var seen = new HashSet<string>();
        var problems = new List<Problem>(count);
        long maxDraws = 100L * count + 10_000;
        for (long draw = 0; problems.Count < count; draw++)
        {
            if (draw == maxDraws)
                throw new ConfigError(
                    $"data.count: only {problems.Count} distinct {generator.Task} problems fall in the {split} split after {maxDraws} draws " +
                    $"(asked for {count}); lower count or make the task larger");
            var problem = generator.Next(random);
            string key = generator.SplitKey(problem);
            if (SplitAssignment.Of(key) != split) continue;
            if (distinct && !seen.Add(key)) continue;
            problems.Add(problem with { Id = $"{generator.Task}-{split}-{problems.Count:D5}" });
        }
        return problems;
    }
}
