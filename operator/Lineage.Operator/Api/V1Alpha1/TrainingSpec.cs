using Lineage.Operator.Api.Schema;

namespace Lineage.Operator.Api.V1Alpha1;

/// <summary>How a generation is made from its input model: GRPO, distillation, or neither (import as is).</summary>
[CelRule("!(has(self.grpo) && has(self.distillation))", "set at most one of grpo or distillation")]
public sealed record TrainingSpec
{
    /// <summary>Train with GRPO: a GrpoRun is created from this template with the input model as policy.</summary>
    public GrpoTemplate? Grpo { get; init; }
    /// <summary>Distil: a Distillation is created from this template with the input model as teacher.</summary>
    public DistillationTemplate? Distillation { get; init; }
}
