namespace Lineage.Operator.Api.V1Alpha1;

/// <summary>The owned GrpoRun or Distillation that trains this generation.</summary>
public sealed record TrainingRef
{
    /// <summary>GrpoRun or Distillation.</summary>
    public string? Kind { get; init; }
    /// <summary>Its name in this namespace.</summary>
    public string? Name { get; init; }
}
