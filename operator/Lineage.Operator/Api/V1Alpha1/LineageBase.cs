using Lineage.Operator.Api.Schema;

namespace Lineage.Operator.Api.V1Alpha1;

/// <summary>How a lineage's generation 0 is made: a model imported as is, training on top of it, or training from scratch.</summary>
[CelRule("has(self.uri) || (has(self.training) && has(self.training.distillation) && has(self.training.distillation.demonstrations))",
    "set uri, or train generation 0 from scratch with training.distillation.demonstrations")]
public sealed record LineageBase
{
    /// <summary>The model to start from (s3:// or file://).</summary>
    [Pattern(Patterns.ModelUri)]
    public string? Uri { get; init; }
    /// <summary>Training of generation 0: omitted imports the model as is.</summary>
    public TrainingSpec? Training { get; init; }
}
