namespace Lineage.LocalNode.Pods;

/// <summary>core/v1 pod phases.</summary>
public static class PodPhases
{
    public const string Pending = "Pending";
    public const string Running = "Running";
    public const string Succeeded = "Succeeded";
    public const string Failed = "Failed";
}
