using Lineage.Operator.Api.V1Alpha1;

namespace Lineage.Operator.Decisions;

/// <summary>The part of an owned GrpoRun's or Distillation's status a Generation acts on (and shows).</summary>
public sealed record TrainingRunSummary(string Kind, string Name, string? Phase, string? Message, string? Output, double? Internalisation = null)
{
    public static TrainingRunSummary Of(string kind, string name, RunStatus? status)
    {
        var failed = status?.Conditions.FirstOrDefault(c => c.Type == ConditionTypes.Failed && c.Status == "True");
        var running = status?.Conditions.FirstOrDefault(c => c.Type == ConditionTypes.Running);
        return new(kind, name, status?.Phase, failed?.Message ?? running?.Message, status?.Output,
            (status as Distillation.DistillationStatus)?.Internalisation);
    }
}
