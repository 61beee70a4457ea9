using Lineage.Operator.Api.V1Alpha1;
using Lineage.Operator.Decisions;

namespace Lineage.Operator.Local;

/// <summary>One row of the local live table: a Generation with its run's progress, its score and its parent's.</summary>
public sealed record GenerationRow(
    string Namespace, string Lineage, string Name, string Step, string Phase, long? RunStep, long? RunTotal,
    double? Score, double? ParentScore, double? Internalisation, DateTime? Started, DateTime? Finished)
{
    public bool Final => GenerationPhases.IsFinal(Phase);
    public double? Gain => Score is { } s && ParentScore is { } p ? s - p : null;
}

/// <summary>A lineage as the local view shows it: its phase, champion and generations in birth order.</summary>
public sealed record LineageRow(string Namespace, string Name, string Phase, string? Champion, double? ChampionScore, IReadOnlyList<GenerationRow> Generations)
{
    /// <summary>Nothing more will happen without a change: a stopped Lineage, or hand-written Generations that are all final.</summary>
    public bool Done => LineagePhases.IsStopped(Phase) || (Phase == "" && Generations.Count > 0 && Generations.All(g => g.Final));
}

/// <summary>
/// Pure: the rows of the local view from what the API server holds. Generations a Lineage bred are grouped under it in
/// birth order; hand-written Generations are grouped by spec.lineage in generation-number order.
/// </summary>
public static class LineageSnapshot
{
    public static IReadOnlyList<LineageRow> Of(IReadOnlyList<LineageResource> lineages, IReadOnlyList<Generation> generations,
        IReadOnlyList<GrpoRun> grpoRuns, IReadOnlyList<Distillation> distillations)
    {
        RunStatus? RunOf(Generation g) =>
            (RunStatus?)grpoRuns.FirstOrDefault(r => Same(r.Metadata, g.Metadata))?.Status ?? distillations.FirstOrDefault(r => Same(r.Metadata, g.Metadata))?.Status;

        var rows = new List<LineageRow>();
        var owned = new HashSet<string>();
        foreach (var lineage in lineages.OrderBy(l => l.Metadata.NamespaceProperty).ThenBy(l => l.Metadata.Name, StringComparer.Ordinal))
        {
            var bred = generations.Where(g => g.Metadata.NamespaceProperty == lineage.Metadata.NamespaceProperty
                    && g.Metadata.OwnerReferences?.Any(r => r.Uid == lineage.Metadata.Uid) == true)
                .OrderBy(LineageDecision.Birth).ToList();
            owned.UnionWith(bred.Select(g => g.Metadata.Uid));
            rows.Add(new LineageRow(lineage.Metadata.NamespaceProperty, lineage.Metadata.Name, lineage.Status?.Phase ?? LineagePhases.Growing,
                lineage.Status?.Champion?.Name, lineage.Status?.Champion?.Score, bred.Select(g => Row(g, RunOf(g))).ToList()));
        }
        foreach (var group in generations.Where(g => !owned.Contains(g.Metadata.Uid))
                     .GroupBy(g => (g.Metadata.NamespaceProperty, g.Spec.Lineage)).OrderBy(g => g.Key.NamespaceProperty).ThenBy(g => g.Key.Lineage, StringComparer.Ordinal))
        {
            var ordered = group.OrderBy(g => g.Status?.GenerationNumber ?? int.MaxValue).ThenBy(g => g.Metadata.CreationTimestamp).ToList();
            var champion = ordered.LastOrDefault(g => g.Status?.Phase == GenerationPhases.Promoted);
            rows.Add(new LineageRow(group.Key.NamespaceProperty, group.Key.Lineage, "", champion?.Metadata.Name, champion?.Status?.Score,
                ordered.Select(g => Row(g, RunOf(g))).ToList()));
        }
        return rows;
    }

    static bool Same(k8s.Models.V1ObjectMeta run, k8s.Models.V1ObjectMeta generation) =>
        run.NamespaceProperty == generation.NamespaceProperty && run.Name == generation.Name;

    static GenerationRow Row(Generation g, RunStatus? run)
    {
        var status = g.Status;
        var step = g.Metadata.Labels is { } labels && labels.TryGetValue(WellKnown.StepLabel, out var s) ? s
            : g.Spec.Training?.Grpo is not null ? "grpo" : g.Spec.Training?.Distillation is { } d ? (d.Demonstrations is null ? "distill" : "sft") : "import";
        var finished = GenerationPhases.IsFinal(status?.Phase)
            ? status?.PromotedAt ?? status?.Conditions.Where(c => c.Type is ConditionTypes.Promoted or ConditionTypes.Failed).Select(c => c.LastTransitionTime).Max()
            : null;
        return new GenerationRow(g.Metadata.NamespaceProperty, g.Spec.Lineage, g.Metadata.Name, step, status?.Phase ?? GenerationPhases.Pending,
            run?.Step, run?.TotalSteps, status?.Score, status?.ParentScore, status?.Internalisation, g.Metadata.CreationTimestamp, finished);
    }
}
