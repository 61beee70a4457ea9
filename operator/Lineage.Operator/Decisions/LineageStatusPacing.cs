using Lineage.Operator.Api.V1Alpha1;

namespace Lineage.Operator.Decisions;

/// <summary>
/// When a Lineage's changed status is written. What a user acts on is written at once: a phase, champion, generation
/// count, observedGeneration or condition status/reason that changed, and anything that raises an Event (a generation's
/// verdict). What only mirrors a generation in flight (its history entry moving Pending → Training → Evaluating, the
/// Growing message naming that phase) is written at most once per <see cref="ProgressInterval"/> per Lineage: a verdict
/// that comes sooner carries it, so each generation no longer costs one Lineage status write per phase it passes.
/// </summary>
public static class LineageStatusPacing
{
    public static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(60);

    /// <summary>How long the write may wait (null: write now), given when this Lineage's status was last written (null: not by this process).</summary>
    public static TimeSpan? Wait(LineageResource.LineageStatus? old, LineageResource.LineageStatus next, int events, DateTime? lastWrite, DateTime now) =>
        StatusPacing.Wait(MustWriteNow(old, next, events), lastWrite, ProgressInterval, now);

    public static bool MustWriteNow(LineageResource.LineageStatus? old, LineageResource.LineageStatus next, int events) =>
        old is null || events > 0
        || old.Phase != next.Phase || old.ObservedGeneration != next.ObservedGeneration || old.Generations != next.Generations
        || old.Champion != next.Champion
        || old.History.Count != next.History.Count
        || !StatusPacing.SameConditionStates(old.Conditions, next.Conditions)
        || old.History.Zip(next.History).Any(p => p.First.Name != p.Second.Name
            || p.First.Result != p.Second.Result && (GenerationPhases.IsFinal(p.First.Result) || GenerationPhases.IsFinal(p.Second.Result)));
}
