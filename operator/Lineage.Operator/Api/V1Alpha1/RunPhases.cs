namespace Lineage.Operator.Api.V1Alpha1;

/// <summary>status.phase of a GrpoRun or Distillation.</summary>
public static class RunPhases
{
    public const string Pending = "Pending";
    public const string Running = "Running";
    public const string Suspended = "Suspended";
    public const string Succeeded = "Succeeded";
    public const string Failed = "Failed";

    public static bool IsFinal(string? phase) => phase is Succeeded or Failed;
}
