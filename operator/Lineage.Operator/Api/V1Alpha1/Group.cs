namespace Lineage.Operator.Api.V1Alpha1;

/// <summary>The API group every Lineage kind belongs to.</summary>
public static class Group
{
    public const string Name = "lineage.dev";
    public const string Version = "v1alpha1";
    public const string ApiVersion = Name + "/" + Version;
    /// <summary><c>kubectl get lineage</c> lists Generations, GrpoRuns and Distillations together.</summary>
    public const string Category = "lineage";
}
