using k8s.Models;

namespace Lineage.Operator.Decisions;

/// <summary>
/// The trainer's last words: the newest terminated container's message (terminationMessagePolicy
/// FallbackToLogsOnError makes it the log tail when the trainer wrote none).
/// </summary>
public static class TerminationMessages
{
    public static string? Latest(IEnumerable<V1Pod> pods) => pods
        .SelectMany(p => p.Status?.ContainerStatuses ?? [])
        .Select(s => s.State?.Terminated ?? s.LastState?.Terminated)
        .Where(t => t is not null && !string.IsNullOrWhiteSpace(t.Message))
        .OrderByDescending(t => t!.FinishedAt ?? DateTime.MinValue)
        .Select(t => t!.Message!.Trim())
        .FirstOrDefault();
}
