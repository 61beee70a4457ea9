using k8s.Models;
using Lineage.Operator.Api.V1Alpha1;

namespace Lineage.Operator.Bench;

/// <summary>
/// Lineages of chained Generations: generation 0 imports a base model (no training, evaluation only); every
/// later one trains with a GRPO template from its parent's checkpoint. Scores rise by 0.06 a generation, so
/// chains are promoted; in every tenth lineage the last generation improves too little (Rejected), and in
/// another tenth the next-to-last asks for manual approval (left in Evaluating) so the last one waits for its
/// parent (left Pending). Deterministic: no randomness at all.
/// </summary>
public static class GenerationScenario
{
    public static BenchScenario Build(int lineages, int depth, string storeUri)
    {
        var created = new List<Generation>(lineages * depth);
        var planned = new List<PlannedGeneration>(lineages * depth);
        for (var l = 0; l < lineages; l++)
        {
            var lineage = $"lineage-{l:D4}";
            for (var k = 0; k < depth; k++)
            {
                var last = k == depth - 1;
                var rejected = last && l % 10 == 9 && k > 0;
                var manual = l % 10 == 8 && (depth == 1 ? last : k == depth - 2);
                var waits = l % 10 == 8 && depth > 1 && last;
                var score = Math.Round(0.30 + 0.06 * k - (rejected ? 0.05 : 0), 4);
                var spec = new Generation.GenerationSpec
                {
                    Lineage = lineage,
                    Parent = k == 0 ? null : Name(lineage, k - 1),
                    Base = k == 0 ? $"s3://models/bench/base-{l % 7}" : null,
                    Training = k == 0 ? null : new TrainingSpec { Grpo = new GrpoTemplate { Steps = 10, CheckpointEvery = 5 } },
                    Evaluation = new EvaluationSpec { Dataset = new Contracts.Config.DataConfig { Task = "addition" }, Problems = 50 },
                    Promotion = new PromotionSpec { MinScore = 0.2, MinImprovementOverParent = 0.02, Mode = manual ? PromotionSpec.Manual : PromotionSpec.Auto },
                    Storage = new StorageSpec { Uri = storeUri },
                };
                var name = Name(lineage, k);
                created.Add(new Generation { Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = BenchScenario.Namespace }, Spec = spec });
                var trainer = k == 0 ? null : "grpo";
                planned.Add(rejected ? new PlannedGeneration(name, lineage, trainer, score, GenerationPhases.Rejected)
                    : manual ? new PlannedGeneration(name, lineage, trainer, score, GenerationPhases.Evaluating, (ConditionTypes.Promoted, Reasons.AwaitingApproval))
                    : waits ? new PlannedGeneration(name, lineage, trainer, score, GenerationPhases.Pending, (ConditionTypes.ParentReady, Reasons.ParentNotPromoted))
                    : new PlannedGeneration(name, lineage, trainer, score, GenerationPhases.Promoted));
            }
        }
        return new BenchScenario($"{created.Count} Generations ({lineages} lineages × {depth})", created, planned, []);
    }

    static string Name(string lineage, int k) => $"{lineage}-gen-{k}";
}
