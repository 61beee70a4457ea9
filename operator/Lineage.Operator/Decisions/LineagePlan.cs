using Lineage.Operator.Api.V1Alpha1;

namespace Lineage.Operator.Decisions;

/// <summary>
/// What the controller should make true for a Lineage: its status, the next Generation to breed (created only
/// if absent) and the Events of what changed. The Born Event is recorded only when the create succeeds; it then tells
/// the Normal verdicts in <see cref="BornTells"/> (<see cref="BornTelling"/>), which otherwise are Events of their own
/// (<see cref="WithoutBirth"/>), so no verdict goes untold.
/// </summary>
/// <param name="Status">The status to write (only when it differs from the stored one).</param>
/// <param name="Breed">The next Generation, or null when none is due.</param>
/// <param name="BornEvent">The Born Event of <paramref name="Breed"/> alone, without the verdicts it tells.</param>
/// <param name="Events">The other Events: Warnings, verdicts no carrier tells, and the phase change telling its own verdicts.</param>
public sealed record LineagePlan(LineageResource.LineageStatus Status, Generation? Breed, EventIntent? BornEvent, IReadOnlyList<EventIntent> Events)
{
    /// <summary>The Normal verdicts of this pass the Born Event tells in its message instead of Events of their own.</summary>
    public IReadOnlyList<EventIntent> BornTells { get; init; } = [];

    /// <summary>The Born Event as recorded with the status that holds the verdicts it tells.</summary>
    public EventIntent? BornTelling => BornEvent is null ? null : StatusEvents.Telling(BornEvent, BornTells);

    /// <summary>The Events when this pass bred nothing (the child was there already): the verdicts Born would have told, each its own, then the rest.</summary>
    public IReadOnlyList<EventIntent> WithoutBirth => [.. BornTells, .. Events];
}
