using Lineage.Operator.Api.V1Alpha1;

namespace Lineage.Operator.Decisions;

/// <summary>
/// What the controller should make true: the status to write, whether the Job must exist
/// (created when missing, suspend synced), the Events to record and when to look again.
/// </summary>
public sealed record TrainingRunPlan(RunStatus Status, bool EnsureJob, IReadOnlyList<EventIntent> Events, TimeSpan? RequeueAfter);
