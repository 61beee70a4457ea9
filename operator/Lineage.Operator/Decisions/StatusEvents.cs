using System.Text;
using Lineage.Operator.Api.V1Alpha1;
using Lineage.Operator.Runtime;

namespace Lineage.Operator.Decisions;

/// <summary>
/// The Events a status change deserves: a Warning for every condition that newly carries a reason someone should
/// look at (a failure, a suspected reward hack), and one event per phase change (Warning when the new phase is a
/// failure). Nothing when nothing changed, so repeated reconciles never repeat an Event. Normal Events of one pass may
/// ride in another's message (<see cref="Fold"/>): a Lineage's verdicts in its Born or stop Event.
/// </summary>
public static class StatusEvents
{
    static readonly HashSet<string> WarningReasons =
    [
        Reasons.ParentNotFound, Reasons.ParentInOtherLineage, Reasons.ParentCycle, Reasons.ModelNotReady,
        Reasons.SecretNotFound, Reasons.SecretKeyMissing, Reasons.SecretForbidden, Reasons.TrainingFailed, Reasons.EvaluationFailed,
        Reasons.EvaluationResultMissing, Reasons.EvaluationModelMismatch, Reasons.RewardHackingSuspected, Reasons.JudgeNotBetterThanRandom, Reasons.InvalidSpec, Reasons.JobFailed, Reasons.BackoffLimitExceeded, Reasons.DeadlineExceeded, Reasons.TrainerInputRejected,
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

    /// <summary>
    /// The Events of a Generation: its Warnings and its verdict (Promoted, Rejected; Failed is a Warning). Its
    /// intermediate phases (Pending, Training, Evaluating) are not Events: the same object tells each of them in a
    /// condition with its reason, message and lastTransitionTime (Trained: TrainingRunning then TrainingSucceeded,
    /// naming the run and its step; Evaluated: EvaluationRunning naming the model, then EvaluationSucceeded with the
    /// score), its Lineage's history mirrors the phase, and the phase column shows it. An Event each cost a write per
    /// phase (1.67 per Generation in a Lineage) and repeated what describe already shows in Conditions.
    /// </summary>
    public static IReadOnlyList<EventIntent> OfGeneration(IReadOnlyList<EventIntent> events) =>
        events.Where(e => e.Type == EventIntent.Warning || GenerationPhases.IsFinal(e.Reason)).ToList();

    /// <summary>
    /// The Events of a training run a Generation controls: its Warnings only. Its Normal phase changes (Pending,
    /// Running, Succeeded) are told by the Generation's Trained condition (the run's name, step and outcome, with the
    /// time it changed) and by the run's status. A standalone run, which nothing else reports, keeps all of its Events.
    /// </summary>
    public static IReadOnlyList<EventIntent> OfOwnedRun(IReadOnlyList<EventIntent> events) => events.Where(e => e.Type == EventIntent.Warning).ToList();

    /// <summary>
    /// Which of <paramref name="verdicts"/> the <paramref name="carrier"/> Event recorded in the same pass tells in its
    /// message (see <see cref="Telling"/>) instead of each costing an Event of its own: the Normal ones, in order, while
    /// the message stays within <see cref="EventRecorder.MaxMessageBytes"/>. A Warning is never told inside another
    /// Event, and without a carrier every verdict is its own Event.
    /// </summary>
    public static (IReadOnlyList<EventIntent> Told, IReadOnlyList<EventIntent> Own) Fold(EventIntent? carrier, IReadOnlyList<EventIntent> verdicts)
    {
        if (carrier is null) return ([], verdicts);
        List<EventIntent> told = [], own = [];
        foreach (var verdict in verdicts)
        {
            if (verdict.Type == EventIntent.Normal && Encoding.UTF8.GetByteCount(Telling(carrier, [.. told, verdict]).Message) <= EventRecorder.MaxMessageBytes)
                told.Add(verdict);
            else
                own.Add(verdict);
        }
        return (told, own);
    }

    /// <summary>The carrier Event, its type and reason kept, with each told Event's message after its own: "carrier; told; told".</summary>
    public static EventIntent Telling(EventIntent carrier, IReadOnlyList<EventIntent> told) =>
        told.Count == 0 ? carrier : carrier with { Message = string.Join("; ", [carrier.Message, .. told.Select(t => t.Message)]) };
}
