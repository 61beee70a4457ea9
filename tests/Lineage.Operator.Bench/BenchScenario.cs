using k8s;
using k8s.Models;

namespace Lineage.Operator.Bench;

/// <summary>
/// What one run creates at once (<see cref="Objects"/>: Generations or Lineages) and where the operator must bring
/// things: every Generation that will exist (the ones created and the ones a Lineage breeds), with the score its
/// evaluation reports, and every Lineage.
/// </summary>
public sealed record BenchScenario(string Description, IReadOnlyList<IKubernetesObject<V1ObjectMeta>> Objects,
    IReadOnlyList<PlannedGeneration> Generations, IReadOnlyList<PlannedLineage> Lineages)
{
    public const string Namespace = "ml";

    public static BenchScenario For(BenchOptions options, string storeUri) => options.Kind switch
    {
        BenchKind.Lineage => LineageScenario.Build(options.Lineages, options.Depth, storeUri),
        _ => GenerationScenario.Build(options.Lineages, options.Depth, storeUri),
    };
}
