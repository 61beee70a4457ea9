using Lineage.Operator.Api.V1Alpha1;

namespace Lineage.Operator.Decisions;

/// <summary>
/// What the controller should make true for a Lineage: its status, the next Generation to breed (created only
/// if absent; its Born event is recorded only when the create succeeds) and the Events of what changed.
/// </summary>
public sealed record LineagePlan(LineageResource.LineageStatus Status, Generation? Breed, EventIntent? BornEvent, IReadOnlyList<EventIntent> Events);
