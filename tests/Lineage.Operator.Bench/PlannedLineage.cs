using Lineage.Operator.Api.V1Alpha1;

namespace Lineage.Operator.Bench;

/// <summary>One Lineage of the scenario and where it must end: Complete, with its generations' results in birth order and its champion.</summary>
public sealed record PlannedLineage(string Name, IReadOnlyList<string> Results, string Champion)
{
    /// <summary>Has the operator brought this Lineage where the scenario says it ends?</summary>
    public bool IsSettled(LineageResource.LineageStatus? observed) =>
        observed is { Phase: LineagePhases.Complete } status
        && status.Generations == Results.Count
        && status.Champion?.Name == Champion
        && status.History.Select(h => h.Result).SequenceEqual(Results);
}
