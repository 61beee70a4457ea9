using Lineage.Operator.Api.V1Alpha1;

namespace Lineage.Operator.Decisions;

/// <summary>
/// When a Generation's changed status is written. Written at once: its first status, every phase it enters outside
/// training and evaluation (Pending, a verdict, Failed), observedGeneration, a condition a user acts on changing its
/// status or reason (ParentReady, StorageReady, JudgeQualified, Promoted such as AwaitingApproval, Failed), and anything
/// that raises an Event. What only follows the work in flight — the Trained condition's message mirroring its run,
/// and the handoff from Training to Evaluating when the run succeeds (the Trained and Evaluated conditions, checkpoint,
/// evaluation Job) — waits until <see cref="ProgressInterval"/> after this process last wrote the status: an evaluation
/// that ends sooner has its verdict carry it, so a quick evaluation costs no Evaluating write, and a long one shows
/// Evaluating at most that much later. The run's own status tells its success at once.
/// </summary>
public static class GenerationStatusPacing
{
    /// <summary>The runs' progress interval (<see cref="TrainingRunDecision.ActivePoll"/>): no mirror of a run lags more than its run does.</summary>
    public static readonly TimeSpan ProgressInterval = TrainingRunDecision.ActivePoll;

    /// <summary>The conditions whose state the training → evaluation handoff itself changes.</summary>
    static readonly HashSet<string> Handoff = [ConditionTypes.Trained, ConditionTypes.Evaluated];

    /// <summary>How long the write may wait (null: write now), given when this Generation's status was last written (null: not by this process).</summary>
    public static TimeSpan? Wait(Generation.GenerationStatus? old, Generation.GenerationStatus next, int events, DateTime? lastWrite, DateTime now) =>
        StatusPacing.Wait(MustWriteNow(old, next, events), lastWrite, ProgressInterval, now);

    public static bool MustWriteNow(Generation.GenerationStatus? old, Generation.GenerationStatus next, int events) =>
        old?.Phase is null || events > 0
        || !InFlight(old.Phase, next.Phase)
        || old.ObservedGeneration != next.ObservedGeneration
        || !StatusPacing.SameConditionStates(old.Conditions.Where(c => !Handoff.Contains(c.Type)), next.Conditions.Where(c => !Handoff.Contains(c.Type)));

    /// <summary>Training on, training to evaluation, or evaluation on: the only moves that may wait.</summary>
    static bool InFlight(string old, string? next) =>
        (old, next) is (GenerationPhases.Training, GenerationPhases.Training or GenerationPhases.Evaluating) or (GenerationPhases.Evaluating, GenerationPhases.Evaluating);
}
