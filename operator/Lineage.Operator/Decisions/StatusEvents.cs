using Lineage.Operator.Api.V1Alpha1;

namespace Lineage.Operator.Decisions;

/// <summary>
/// The Events a status change deserves: a Warning for every condition that newly carries a reason someone should
/// look at (a failure, a suspected reward hack), and one event per phase change (Warning when the new phase is a
/// failure). Nothing when nothing changed, so repeated reconciles never repeat an Event.
/// </summary>
public static class StatusEvents
{
    static readonly HashSet<string> WarningReasons =
    [
        Reasons.ParentNotFound, Reasons.ParentInOtherLineage, Reasons.ParentCycle, Reasons.ModelNotReady,
        Reasons.SecretNotFound, Reasons.SecretKeyMissing, Reasons.TrainingFailed, Reasons.EvaluationFailed,
        Reasons.EvaluationResultMissing, Reasons.RewardHackingSuspected, Reasons.JudgeNotBetterThanRandom, Reasons.InvalidSpec, Reasons.JobFailed, Reasons.BackoffLimitExceeded, Reasons.DeadlineExceeded,
    ];

    public static bool IsWarning(string? reason) => reason is not null && WarningReasons.Contains(reason);

    public static IReadOnlyList<EventIntent> Between(string? oldPhase, IReadOnlyList<Condition> oldConditions, string? newPhase, IReadOnlyList<Condition> newConditions, bool failedPhase)
    {
        var changed = newConditions
            .Where(c => !oldConditions.Any(o => o.Type == c.Type && o.Status == c.Status && o.Reason == c.Reason))
            .ToList();
        var events = changed.Where(c => IsWarning(c.Reason))
            .Select(c => new EventIntent(EventIntent.Warning, c.Reason!, c.Message ?? c.Reason!))
            .ToList();
        if (oldPhase != newPhase && newPhase is not null)
        {
            var why = changed.LastOrDefault()?.Message;
            var message = $"{oldPhase ?? "New"} → {newPhase}" + (why is null ? "" : $": {why}");
            events.Add(new EventIntent(failedPhase ? EventIntent.Warning : EventIntent.Normal, newPhase, message));
        }
        return events;
    }
}
