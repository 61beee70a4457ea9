using Lineage.Operator.Api.V1Alpha1;

namespace Lineage.Operator.Decisions;

/// <summary>
/// The input of a generation: the base URI (generation 0), nothing ("" — generation 0 trained from scratch on
/// demonstrations) or the checkpoint of a Promoted parent in the same lineage. Anything else is a reason to wait,
/// with a message that says what is wrong.
/// </summary>
public sealed record ParentResolution(string? Input, int? Number, double? ParentScore, string Reason, string Message)
{
    public bool Resolved => Input is not null;

    public static ParentResolution Of(Generation generation, IReadOnlyList<Generation> ancestors)
    {
        var spec = generation.Spec;
        if (spec.Base is { } baseUri) return new(baseUri, 0, null, Reasons.BaseModel, $"generation 0 of lineage {spec.Lineage}, imported from {baseUri}");
        if (spec.Parent is null)
            return new("", 0, null, Reasons.FromScratch, $"generation 0 of lineage {spec.Lineage}, trained from scratch on demonstrations");

        var parentName = spec.Parent!;
        var chain = new List<string> { generation.Metadata.Name };
        foreach (var ancestor in ancestors)
        {
            if (chain.Contains(ancestor.Metadata.Name))
                return Wait(Reasons.ParentCycle, $"the parent chain loops: {string.Join(" → ", chain.Append(ancestor.Metadata.Name))}");
            chain.Add(ancestor.Metadata.Name);
        }

        var parent = ancestors.FirstOrDefault();
        if (parent is null || parent.Metadata.Name != parentName)
            return Wait(Reasons.ParentNotFound, $"parent Generation {parentName} not found in namespace {generation.Metadata.NamespaceProperty}");
        if (parent.Spec.Lineage != spec.Lineage)
            return Wait(Reasons.ParentInOtherLineage, $"parent {parentName} belongs to lineage {parent.Spec.Lineage}, not {spec.Lineage}");
        var phase = parent.Status?.Phase ?? GenerationPhases.Pending;
        if (phase != GenerationPhases.Promoted || parent.Status?.Checkpoint?.Uri is null)
            return Wait(Reasons.ParentNotPromoted, $"waiting for parent {parentName} to be Promoted (it is {phase})");
        return new(parent.Status.Checkpoint.Uri, (parent.Status.GenerationNumber ?? 0) + 1, parent.Status.Score, Reasons.ParentPromoted,
            $"parent {parentName} (generation {parent.Status.GenerationNumber ?? 0}, score {Show(parent.Status.Score)}) is Promoted");
    }

    static ParentResolution Wait(string reason, string message) => new(null, null, null, reason, message);

    static string Show(double? score) => score is { } s ? PromotionGate.F(s) : "none";
}
