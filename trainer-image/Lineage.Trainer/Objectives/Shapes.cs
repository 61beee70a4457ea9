using static TorchSharp.torch;

namespace Lineage.Trainer.Objectives;

/// <summary>Argument checks shared by the objectives, so a shape slip fails with names instead of a libtorch broadcast.</summary>
internal static class Shapes
{
    public static void RequireSame(Tensor a, Tensor b, string nameA, string nameB)
    {
        if (!a.shape.SequenceEqual(b.shape))
            throw new ArgumentException($"{nameB} must have the shape of {nameA} [{string.Join(",", a.shape)}], got [{string.Join(",", b.shape)}]", nameB);
    }

    public static void RequireBatchByTime(Tensor t, string name)
    {
        if (t.dim() != 2) throw new ArgumentException($"{name} must be [B,T], got [{string.Join(",", t.shape)}]", name);
    }

    /// <summary>advantages are one number per sequence: [B] for a [B,T] token tensor.</summary>
    public static void RequirePerSequence(Tensor perSequence, Tensor tokens, string name)
    {
        if (perSequence.dim() != 1 || perSequence.shape[0] != tokens.shape[0])
            throw new ArgumentException($"{name} must be [B] = [{tokens.shape[0]}], got [{string.Join(",", perSequence.shape)}]", name);
    }
}
