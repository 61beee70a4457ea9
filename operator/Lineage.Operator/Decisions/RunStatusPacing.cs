using Lineage.Operator.Api.V1Alpha1;

namespace Lineage.Operator.Decisions;

/// <summary>
/// When a GrpoRun's or Distillation's changed status is written. What a user or the owning Generation acts on is written
/// at once: a phase, observedGeneration, Job name, output, restarts, start or completion time, or a condition's
/// status or reason. What only mirrors the trainer's progress (step, total steps, metrics, last checkpoint, the judge
/// check, a condition's message such as "training, step 40/120") is written at most once per
/// <see cref="TrainingRunDecision.ActivePoll"/> per run, the interval at which an active run reads progress.json
/// anyway: a Job event that lands between two polls no longer writes the progress it happened to find, and the next
/// write (a poll, or the phase change that ends the run) carries it. A final phase is always written at once.
/// </summary>
public static class RunStatusPacing
{
    /// <summary>How long the write may wait (null: write now), given when this run's status was last written (null: not by this process).</summary>
    public static TimeSpan? Wait(RunStatus? old, RunStatus next, DateTime? lastWrite, DateTime now) =>
        StatusPacing.Wait(MustWriteNow(old, next), lastWrite, TrainingRunDecision.ActivePoll, now);

    public static bool MustWriteNow(RunStatus? old, RunStatus next) =>
        old is null || old.Phase != next.Phase || old.ObservedGeneration != next.ObservedGeneration
        || old.JobName != next.JobName || old.Output != next.Output || old.Restarts != next.Restarts
        || old.StartTime != next.StartTime || old.CompletionTime != next.CompletionTime
        || !StatusPacing.SameConditionStates(old.Conditions, next.Conditions);
}
