using Lineage.Operator.Api.Schema;

namespace Lineage.Operator.Api.V1Alpha1;

/// <summary>A model: a store URI, or a Generation in the same namespace whose promoted checkpoint is used.</summary>
[CelRule("has(self.uri) != has(self.generation)", "set exactly one of uri or generation")]
public sealed record ModelRef
{
    /// <summary>Model directory as a store URI (s3://bucket/prefix/model or file:///path).</summary>
    [Pattern(Patterns.ModelUri)]
    public string? Uri { get; init; }

    /// <summary>Name of a Generation in this namespace; its status.checkpoint.uri is the model.</summary>
    [Pattern(Patterns.Name), Length(1, 253)]
    public string? Generation { get; init; }
}
