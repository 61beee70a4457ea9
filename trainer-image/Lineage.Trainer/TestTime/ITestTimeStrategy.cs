using Lineage.Trainer.Model;
using Lineage.Trainer.Tasks;

namespace Lineage.Trainer.TestTime;

/// <summary>How a model spends compute on problems at test time and which answer it gives (<see cref="TestTimeStrategies"/>).</summary>
public interface ITestTimeStrategy : IDisposable
{
    /// <summary>greedy, selfConsistency, bestOfN or selfRefine.</summary>
    string Name { get; }

    /// <summary>One solution per problem, in order. Calls continue one seeded sampling stream.</summary>
    IReadOnlyList<Solution> Solve(PretrainedModel model, IReadOnlyList<Problem> problems, CancellationToken ct = default);
}
