using Lineage.Operator.Api.V1Alpha1;

namespace Lineage.Operator.Decisions;

/// <summary>
/// The shared rule of <see cref="LineageStatusPacing"/> and <see cref="RunStatusPacing"/>: a status change a user acts on
/// is written at once; one that only mirrors progress waits until <c>interval</c> after this process last wrote that
/// object's status (a requeue writes it then, unless a change that must be written now comes first and carries it).
/// </summary>
public static class StatusPacing
{
    /// <summary>How long the write may wait (null: write now), given when the status was last written (null: not by this process).</summary>
    public static TimeSpan? Wait(bool mustWriteNow, DateTime? lastWrite, TimeSpan interval, DateTime now)
    {
        if (mustWriteNow || lastWrite is not { } last) return null;
        var remaining = last + interval - now;
        return remaining > TimeSpan.Zero ? remaining : null;
    }

    /// <summary>Whether no condition changed its type, status or reason (a message alone may change without a write).</summary>
    public static bool SameConditionStates(IEnumerable<Condition> old, IEnumerable<Condition> next) =>
        old.Select(c => (c.Type, c.Status, c.Reason)).SequenceEqual(next.Select(c => (c.Type, c.Status, c.Reason)));
}
