using k8s.Models;
using Lineage.Operator.Api.V1Alpha1;
using Lineage.Operator.Decisions;

namespace Lineage.Operator.Bench;

/// <summary>
/// Lineages that breed their own Generations: generation 0 imports a base model (no training, evaluation only), then
/// each next generation is bred from the champion by the plan's steps in turn (GRPO, then distillation) up to
/// maxGenerations. Scores rise 0.06 a generation from 0.30, so generations are promoted; in every tenth lineage
/// generation 1 improves by only 0.01 &lt; 0.02 (Rejected) and generation 2 is bred from generation 0 again. Every
/// Lineage ends Complete with all its generations bred. Deterministic: no randomness at all.
/// </summary>
public static class LineageScenario
{
    /// <summary>The most generations whose rising scores stay under 1 (0.30 + 0.06 × 11 = 0.96).</summary>
    public const int MaxGenerations = 12;

    static readonly IReadOnlyList<PlanStep> Plan =
    [
        new PlanStep { Name = "grpo", Grpo = new GrpoTemplate { Steps = 10, CheckpointEvery = 5 } },
        new PlanStep { Name = "distill", Distillation = new DistillationTemplate { Strategy = "selfConsistency", Samples = 4, Filter = "consistency" } },
    ];

    public static BenchScenario Build(int lineages, int generations, string storeUri)
    {
        if (generations > MaxGenerations) throw new ArgumentOutOfRangeException(nameof(generations), generations, $"at most {MaxGenerations}");
        var created = new List<LineageResource>(lineages);
        var planned = new List<PlannedGeneration>(lineages * generations);
        var expected = new List<PlannedLineage>(lineages);
        for (var l = 0; l < lineages; l++)
        {
            var lineage = Lineage($"lineage-{l:D4}", $"s3://models/bench/base-{l % 7}", generations, storeUri);
            created.Add(lineage);
            var results = new List<string>(generations);
            var champion = "";
            for (var k = 0; k < generations; k++)
            {
                var name = LineageDecision.ChildName(lineage, k);
                var trainer = k == 0 ? null : Plan[(k - 1) % Plan.Count].Grpo is not null ? "grpo" : "distill";
                var phase = IsRejected(l, k) ? GenerationPhases.Rejected : GenerationPhases.Promoted;
                planned.Add(new PlannedGeneration(name, lineage.Metadata.Name, trainer, Score(l, k), phase));
                results.Add(phase);
                if (phase == GenerationPhases.Promoted) champion = name;
            }
            expected.Add(new PlannedLineage(lineage.Metadata.Name, results, champion));
        }
        return new BenchScenario($"{created.Count} Lineages × {generations} generations ({planned.Count} Generations to breed)", created, planned, expected);
    }

    /// <summary>The score generation <paramref name="k"/> of lineage <paramref name="l"/> reports: 0.30 + 0.06 k, or 0.31 for a generation 1 to be rejected.</summary>
    public static double Score(int l, int k) => Math.Round(0.30 + 0.06 * k - (IsRejected(l, k) ? 0.05 : 0), 4);

    static bool IsRejected(int l, int k) => k == 1 && l % 10 == 9;

    static LineageResource Lineage(string name, string baseUri, int generations, string storeUri) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = BenchScenario.Namespace },
        Spec = new LineageResource.LineageSpec
        {
            Base = new LineageBase { Uri = baseUri },
            Template = new GenerationTemplate
            {
                Evaluation = new EvaluationSpec { Dataset = new Contracts.Config.DataConfig { Task = "addition" }, Problems = 50 },
                Promotion = new PromotionSpec { MinScore = 0.2, MinImprovementOverParent = 0.02 },
                Storage = new StorageSpec { Uri = storeUri },
            },
            Plan = Plan,
            MaxGenerations = generations,
        },
    };
}
