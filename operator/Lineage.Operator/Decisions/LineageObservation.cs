using Lineage.Operator.Api.V1Alpha1;

namespace Lineage.Operator.Decisions;

/// <summary>What the controller saw for one Lineage: the object and the Generations it controls (from the informer cache).</summary>
public sealed record LineageObservation(LineageResource Lineage, IReadOnlyList<Generation> Generations, DateTime Now);
