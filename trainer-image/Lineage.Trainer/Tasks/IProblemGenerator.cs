namespace Lineage.Trainer.Tasks;

/// <summary>A built-in task: draws random problems and names the identity used to split them.</summary>
public interface IProblemGenerator
{
    string Task { get; }

    /// <summary>Draws one problem from <paramref name="random"/>; its <see cref="Problem.Id"/> is assigned by the caller.</summary>
    Problem Next(Random random);

    /// <summary>What makes two problems the same problem (e.g. countdown ignores the order of the numbers).</summary>
    string SplitKey(Problem problem);
}
