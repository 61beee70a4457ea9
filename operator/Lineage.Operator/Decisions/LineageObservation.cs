using Lineage.Operator.Api.V1Alpha1;

namespace Lineage.Operator.Decisions;

/// <summary>
/// What the controller saw for one Lineage: the object, the Generations it controls (from the informer cache), and the
/// operator's default storage for a template that names none.
/// </summary>
public sealed record LineageObservation(LineageResource Lineage, IReadOnlyList<Generation> Generations, DateTime Now, StorageSpec? DefaultStorage = null);
