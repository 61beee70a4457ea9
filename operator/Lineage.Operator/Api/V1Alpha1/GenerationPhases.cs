namespace Lineage.Operator.Api.V1Alpha1;

/// <summary>status.phase of a Generation.</summary>
public static class GenerationPhases
{
    public const string Pending = "Pending";
    public const string Training = "Training";
    public const string Evaluating = "Evaluating";
    public const string Promoted = "Promoted";
    public const string Rejected = "Rejected";
    public const string Failed = "Failed";

    public static bool IsFinal(string? phase) => phase is Promoted or Rejected or Failed;
}
