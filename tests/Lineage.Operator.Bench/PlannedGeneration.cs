using Lineage.Operator.Api.V1Alpha1;

namespace Lineage.Operator.Bench;

/// <summary>
/// One Generation of the scenario: its name and lineage, what trains it (a progress.json kind, <c>grpo</c> or
/// <c>distill</c>; null for an import, which has no training Job), the score its evaluation will report, and where it
/// must end: a phase and, for the ones left waiting, the condition (type and reason) that says why.
/// </summary>
public sealed record PlannedGeneration(string Name, string Lineage, string? Trainer, double Score, string ExpectedPhase,
    (string Type, string Reason)? Waiting = null)
{
    /// <summary>Has the operator brought this Generation where the scenario says it ends?</summary>
    public bool IsSettled(Generation.GenerationStatus? observed) =>
        observed is { } status && status.Phase == ExpectedPhase
        && (Waiting is not { } w || status.Conditions.Any(c => c.Type == w.Type && c.Reason == w.Reason));
}
