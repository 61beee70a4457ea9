using Lineage.Operator.Api.Schema;

namespace Lineage.Operator.Api.V1Alpha1;

/// <summary>What every Generation of a Lineage shares: the fixed held-out evaluation, the gate, placement and storage.</summary>
public sealed record GenerationTemplate
{
    /// <summary>How each generation is scored; the same held-out set for all, so scores compare.</summary>
    [Required]
    public EvaluationSpec Evaluation { get; init; } = new();
    /// <summary>The promotion gate (its mode comes from the lineage's approval).</summary>
    public PromotionSpec Promotion { get; init; } = new();
    /// <summary>Image and placement of the training and evaluation pods.</summary>
    public Resources Resources { get; init; } = new();
    /// <summary>Where artifacts go and who may read them; default the operator's --default-storage (local mode: a folder).</summary>
    public StorageSpec? Storage { get; init; }
}
