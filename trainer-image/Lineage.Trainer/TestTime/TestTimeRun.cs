using System.Diagnostics;
using Lineage.Trainer.Model;
using Lineage.Trainer.Tasks;

namespace Lineage.Trainer.TestTime;

/// <summary>A strategy applied to problems: the solutions and the report of what it cost.</summary>
public sealed record TestTimeRun(IReadOnlyList<Solution> Solutions, TestTimeReport Report)
{
    /// <summary>Solves <paramref name="problems"/> with <paramref name="strategy"/>, timing it.</summary>
    public static TestTimeRun Of(ITestTimeStrategy strategy, PretrainedModel model, IReadOnlyList<Problem> problems, CancellationToken ct = default)
    {
        var clock = Stopwatch.StartNew();
        var solutions = strategy.Solve(model, problems, ct);
        return new TestTimeRun(solutions, TestTimeReport.Of(strategy.Name, solutions, clock.Elapsed.TotalSeconds));
    }
}
