using k8s.Models;
using Lineage.Operator.Api.V1Alpha1;
using Lineage.Operator.Runtime;

namespace Lineage.Operator.Rendering;

/// <summary>
/// The GrpoRun or Distillation a Generation owns: its template, the input model (the parent's checkpoint or
/// the base) as policy or teacher, the generation's model folder as output, and its placement and storage.
/// Named like the Generation, so there is exactly one per generation.
/// </summary>
public static class RunTemplates
{
    public static GrpoRun GrpoRunFor(Generation generation, GrpoTemplate template, string input) => new()
    {
        Metadata = ChildMetadata(generation, generation.Metadata.Name),
        Spec = new GrpoRun.GrpoRunSpec(template)
        {
            Policy = new ModelRef { Uri = input },
            Output = ModelUri(generation),
            Resources = generation.Spec.Resources,
            Storage = generation.Spec.Storage,
        },
    };

    /// <summary>The input model is the teacher; with demonstrations it is the student's starting point (none: a fresh model).</summary>
    public static Distillation DistillationFor(Generation generation, DistillationTemplate template, string? input) => new()
    {
        Metadata = ChildMetadata(generation, generation.Metadata.Name),
        Spec = new Distillation.DistillationSpec(template)
        {
            Teacher = template.Demonstrations is null ? new ModelRef { Uri = input } : null,
            Student = template.Demonstrations is null ? template.Student : template.Student ?? (string.IsNullOrEmpty(input) ? null : input),
            Output = ModelUri(generation),
            Resources = generation.Spec.Resources,
            Storage = generation.Spec.Storage,
        },
    };

    /// <summary>Where this generation's model lives: &lt;storage&gt;/&lt;lineage&gt;/&lt;name&gt;/model.</summary>
    public static string ModelUri(Generation generation) =>
        StoreUris.Join(generation.Spec.Storage.Uri, StoreUris.LayoutOf(generation).Model);

    public static string EvalResultUri(Generation generation) =>
        StoreUris.Join(generation.Spec.Storage.Uri, StoreUris.LayoutOf(generation).EvalResult);

    public static Dictionary<string, string> ChildLabels(Generation generation, string role) => new()
    {
        [WellKnown.LineageLabel] = generation.Spec.Lineage,
        [WellKnown.GenerationLabel] = generation.Metadata.Name,
        [WellKnown.RoleLabel] = role,
        [WellKnown.ManagedBy] = WellKnown.ManagerName,
    };

    static V1ObjectMeta ChildMetadata(Generation generation, string name) => new()
    {
        Name = name,
        NamespaceProperty = generation.Metadata.NamespaceProperty,
        Labels = ChildLabels(generation, "train"),
        OwnerReferences = [OwnerMapping.ControllerReference(generation)],
    };
}
