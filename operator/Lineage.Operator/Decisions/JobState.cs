using k8s.Models;

namespace Lineage.Operator.Decisions;

/// <summary>What a batch/v1 Job's status says, reduced to what the decisions need.</summary>
public sealed record JobState(JobState.Kind State, string? Reason, string? Message, int Failures, DateTime? StartTime, DateTime? CompletionTime)
{
    public enum Kind { Pending, Active, Suspended, Succeeded, Failed }

    public bool IsFinal => State is Kind.Succeeded or Kind.Failed;

    public static JobState? Of(V1Job? job)
    {
        if (job is null) return null;
        var status = job.Status;
        var conditions = status?.Conditions ?? [];
        bool Is(string type) => conditions.Any(c => c.Type == type && c.Status == "True");
        var failed = conditions.FirstOrDefault(c => c.Type == "Failed" && c.Status == "True");
        var state =
            Is("Complete") ? Kind.Succeeded :
            failed is not null ? Kind.Failed :
            Is("Suspended") || (job.Spec?.Suspend == true && (status?.Active ?? 0) == 0) ? Kind.Suspended :
            (status?.Active ?? 0) > 0 ? Kind.Active :
            Kind.Pending;
        return new JobState(state, failed?.Reason, failed?.Message, status?.Failed ?? 0, status?.StartTime, status?.CompletionTime);
    }
}
