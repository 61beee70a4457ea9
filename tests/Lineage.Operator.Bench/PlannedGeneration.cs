using Lineage.Operator.Api.V1Alpha1;

namespace Lineage.Operator.Bench;

/// <summary>One Generation of the scenario: what to create, the score its evaluation will report, and where it must end.</summary>
public sealed record PlannedGeneration(Generation Generation, double Score, string ExpectedPhase, bool AwaitsApproval)
{
    public string Name => Generation.Metadata.Name;
    public string Lineage => Generation.Spec.Lineage;

    /// <summary>Has the operator brought this Generation where the scenario says it ends?</summary>
    public bool IsSettled(Generation? observed) =>
        observed?.Status is { } status && status.Phase == ExpectedPhase
        && (!AwaitsApproval || status.Conditions.Any(c => c is { Type: ConditionTypes.Promoted, Reason: Reasons.AwaitingApproval }));
}
