using Lineage.Operator.Api.Schema;

namespace Lineage.Operator.Api.V1Alpha1;

/// <summary>One improvement step of a lineage's plan: a named GRPO or Distillation template.</summary>
[CelRule("has(self.grpo) != has(self.distillation)", "set exactly one of grpo or distillation")]
public sealed record PlanStep
{
    /// <summary>The step's name, shown in the history and the lineage.dev/step label (e.g. grpo, distill).</summary>
    [Required, Pattern(Patterns.Label), Length(1, 63)]
    public string Name { get; init; } = "";
    /// <summary>Train the champion with GRPO.</summary>
    public GrpoTemplate? Grpo { get; init; }
    /// <summary>Distil the champion's test-time compute into the next generation.</summary>
    public DistillationTemplate? Distillation { get; init; }

    /// <summary>The Generation's training for this step.</summary>
    public TrainingSpec ToTraining() => new() { Grpo = Grpo, Distillation = Distillation };
}
