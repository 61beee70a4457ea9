using Lineage.Operator.Api.V1Alpha1;

namespace Lineage.Operator.Decisions;

/// <summary>
/// What the controller should make true for a Generation: the status, the owned training run (created when
/// missing), whether the evaluation Job must exist and on which model, the labels (the lineage's name), the
/// Events, and when to look again. Promotion is status.phase alone: no label marks a champion.
/// </summary>
public sealed record GenerationPlan(
    Generation.GenerationStatus Status,
    GrpoRun? GrpoRun,
    Distillation? Distillation,
    string? EvaluateModel,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyList<EventIntent> Events,
    TimeSpan? RequeueAfter);
