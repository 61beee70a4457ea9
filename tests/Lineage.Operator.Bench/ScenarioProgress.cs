using Lineage.Operator.Api.V1Alpha1;
using Lineage.Operator.Runtime;

namespace Lineage.Operator.Bench;

/// <summary>How far the operator has brought the scenario, read from the bench's informers (Lineages only when it has any).</summary>
public sealed class ScenarioProgress(BenchScenario scenario, Informer<GenerationView> generations, Informer<LineageView>? lineages)
{
    public int GenerationsSettled => scenario.Generations.Count(p => p.IsSettled(generations.Get(Key(p.Name))?.Status));
    public int LineagesSettled => lineages is null ? 0 : scenario.Lineages.Count(p => p.IsSettled(lineages.Get(Key(p.Name))?.Status));
    public bool AllSettled => GenerationsSettled == scenario.Generations.Count && LineagesSettled == scenario.Lineages.Count;

    /// <summary>e.g. <c>900/1000 settled (Evaluating 100, Promoted 900)</c>, then the same for Lineages when there are any.</summary>
    public override string ToString()
    {
        var text = $"{GenerationsSettled}/{scenario.Generations.Count} settled ({Phases(generations.List().Select(g => g.Status?.Phase))})";
        return lineages is null ? text
            : $"{text}; Lineages {LineagesSettled}/{scenario.Lineages.Count} settled ({Phases(lineages.List().Select(l => l.Status?.Phase))})";
    }

    static string Phases(IEnumerable<string?> phases) =>
        string.Join(", ", phases.GroupBy(p => p ?? "(none)").OrderBy(g => g.Key).Select(g => $"{g.Key} {g.Count()}"));

    static ObjectKey Key(string name) => new(BenchScenario.Namespace, name);
}
