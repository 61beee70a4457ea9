namespace Lineage.Operator.Api.V1Alpha1;

/// <summary>Labels, annotations and the finalizer Lineage puts on objects.</summary>
public static class WellKnown
{
    /// <summary>
    /// On Generations and every child: the lineage name. A lineage's champions:
    /// <c>kubectl get gen -l lineage.dev/lineage=math --field-selector status.phase=Promoted</c>.
    /// </summary>
    public const string LineageLabel = "lineage.dev/lineage";
    /// <summary>On children: the Generation they belong to.</summary>
    public const string GenerationLabel = "lineage.dev/generation";
    /// <summary>On Jobs: train or eval.</summary>
    public const string RoleLabel = "lineage.dev/role";
    /// <summary>On Generations a Lineage bred: the plan step that made it (base for generation 0).</summary>
    public const string StepLabel = "lineage.dev/step";
    /// <summary>On Generations a Lineage bred: the birth order (0, 1, 2, …; Rejected ones count), which names them.</summary>
    public const string BirthAnnotation = "lineage.dev/birth";
    /// <summary>Manual promotion: set to "true" on a Generation whose gate passed to promote it.</summary>
    public const string ApprovedAnnotation = "lineage.dev/approved";
    /// <summary>Stops in-flight Jobs and applies retention before a Generation goes away.</summary>
    public const string Finalizer = "lineage.dev/finalizer";
    public const string ManagedBy = "app.kubernetes.io/managed-by";
    public const string ManagerName = "lineage-operator";
}
