namespace Lineage.Operator.Api.V1Alpha1;

/// <summary>status.phase of a Lineage (and its condition types, which carry the same names).</summary>
public static class LineagePhases
{
    public const string Growing = "Growing";
    public const string Suspended = "Suspended";
    public const string Plateaued = "Plateaued";
    public const string Complete = "Complete";
    public const string Failed = "Failed";

    /// <summary>A lineage that stopped for good breeds nothing more (raising maxGenerations or patience revives it).</summary>
    public static bool IsStopped(string? phase) => phase is Plateaued or Complete or Failed;
}
