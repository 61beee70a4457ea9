using k8s.Models;

namespace Lineage.LocalNode.Jobs;

/// <summary>Reading and setting Job conditions the way the Job controller does (ensureJobConditionStatus).</summary>
public static class JobConditionList
{
    public static V1JobCondition? Find(IEnumerable<V1JobCondition>? conditions, string type) =>
        conditions?.FirstOrDefault(c => c.Type == type);

    public static bool IsTrue(IEnumerable<V1JobCondition>? conditions, string type) => Find(conditions, type)?.Status == "True";

    public static V1JobCondition New(string type, string status, string reason, string message, DateTime now) => new()
    {
        Type = type,
        Status = status,
        Reason = reason,
        Message = message,
        LastProbeTime = now,
        LastTransitionTime = now,
    };

    /// <summary>
    /// Sets a condition's status, reason and message, replacing it when any differs; a condition that does not
    /// exist is not added as False (going from nothing to False means nothing). Returns whether the list changed.
    /// </summary>
    public static bool Ensure(IList<V1JobCondition> conditions, string type, string status, string reason, string message, DateTime now)
    {
        var index = conditions.ToList().FindIndex(c => c.Type == type);
        if (index >= 0)
        {
            var current = conditions[index];
            if (current.Status == status && current.Reason == reason && current.Message == message) return false;
            conditions[index] = New(type, status, reason, message, now);
            return true;
        }
        if (status == "False") return false;
        conditions.Add(New(type, status, reason, message, now));
        return true;
    }

    public static bool IsFinished(V1Job job) =>
        IsTrue(job.Status?.Conditions, JobConditions.Complete) || IsTrue(job.Status?.Conditions, JobConditions.Failed);
}
