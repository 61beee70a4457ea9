using k8s;
using k8s.Models;
using Lineage.Operator.Api.Schema;

namespace Lineage.Operator.Api.V1Alpha1;

/// <summary>
/// One model in a lineage: made from its parent (or a base model) by GRPO, distillation or nothing, evaluated,
/// and promoted when it beats the gate. A lineage's champions are its Generations in phase Promoted
/// (<c>kubectl get gen -l lineage.dev/lineage=math --field-selector status.phase=Promoted</c>).
/// </summary>
[KubernetesEntity(Group = Group.Name, ApiVersion = Group.Version, Kind = KindName, PluralName = Plural)]
[ResourceNames("gen", Categories = [Group.Category])]
[PrinterColumn("Lineage", "string", ".spec.lineage")]
[PrinterColumn("Parent", "string", ".spec.parent")]
[PrinterColumn("Phase", "string", ".status.phase")]
[PrinterColumn("Score", "number", ".status.score")]
[PrinterColumn("Number", "integer", ".status.generationNumber", Priority = 1)]
[PrinterColumn("Age", "date", ".metadata.creationTimestamp")]
[SelectableField(".status.phase")]
public sealed class Generation : IKubernetesObject<V1ObjectMeta>, ISpec<Generation.GenerationSpec>, IStatus<Generation.GenerationStatus?>
{
    public const string KindName = "Generation";
    public const string Plural = "generations";

    public string ApiVersion { get; set; } = Group.ApiVersion;
    public string Kind { get; set; } = KindName;
    public V1ObjectMeta Metadata { get; set; } = new();
    /// <summary>Where the generation comes from and how it is trained, scored and promoted.</summary>
    [Required]
    public GenerationSpec Spec { get; set; } = new();
    /// <summary>Observed state, written by the operator.</summary>
    public GenerationStatus? Status { get; set; }

    /// <summary>The generation's input, training, evaluation, gate, placement and storage.</summary>
    [CelRule("!(has(self.parent) && has(self.base))", "set at most one of parent or base")]
    [CelRule("has(self.parent) || has(self.base) || (has(self.training) && has(self.training.distillation) && has(self.training.distillation.demonstrations))",
        "set parent or base, or train generation 0 from scratch with training.distillation.demonstrations")]
    [CelRule("!has(self.parent) || self.parent != ''", "parent must not be empty")]
    public sealed record GenerationSpec
    {
        /// <summary>The chain this generation belongs to; parent and child share it.</summary>
        [Required, Pattern(Patterns.Label), Length(1, 63)]
        public string Lineage { get; init; } = "";
        /// <summary>The Generation this one is made from; it must be Promoted and in the same lineage.</summary>
        [Pattern(Patterns.Name), Length(1, 253)]
        public string? Parent { get; init; }
        /// <summary>Generation 0: the model URI imported as the lineage's root (omit both parent and base to train
        /// generation 0 from scratch on demonstrations).</summary>
        [Pattern(Patterns.ModelUri)]
        public string? Base { get; init; }
        /// <summary>GRPO or distillation; omitted imports the input model as is.</summary>
        public TrainingSpec? Training { get; init; }
        /// <summary>How the result is scored.</summary>
        [Required]
        public EvaluationSpec Evaluation { get; init; } = new();
        /// <summary>The promotion gate.</summary>
        public PromotionSpec Promotion { get; init; } = new();
        /// <summary>Image and placement of the training and evaluation pods.</summary>
        public Resources Resources { get; init; } = new();
        /// <summary>Where artifacts go and who may read them.</summary>
        [Required]
        public StorageSpec Storage { get; init; } = new();
    }

    /// <summary>Where the generation is in its life, with its scores and checkpoint.</summary>
    public sealed record GenerationStatus
    {
        /// <summary>Pending, Training, Evaluating, Promoted, Rejected or Failed.</summary>
        public string? Phase { get; init; }
        /// <summary>Latest observations, keyed by type.</summary>
        [ListMap("type")]
        public IReadOnlyList<Condition> Conditions { get; init; } = [];
        /// <summary>metadata.generation this status was computed from.</summary>
        public long? ObservedGeneration { get; init; }
        /// <summary>0 for a base import, else the parent's number + 1.</summary>
        public int? GenerationNumber { get; init; }
        /// <summary>The gated score (the evaluation's metric).</summary>
        public double? Score { get; init; }
        /// <summary>Every number the evaluation reported (accuracy, formatRate, …).</summary>
        public IReadOnlyDictionary<string, double>? Scores { get; init; }
        /// <summary>The parent's score when the gate was applied.</summary>
        public double? ParentScore { get; init; }
        /// <summary>Distilled generations: the share of the teacher's test-time gain the student keeps greedily,
        /// (student − teacher greedy) / (teacher with strategy − teacher greedy), from the Distillation.</summary>
        public double? Internalisation { get; init; }
        /// <summary>GRPO with a checked judge term: the judge's pick accuracy vs a random sample and whether it was used (from the GrpoRun).</summary>
        public Lineage.Contracts.Store.JudgeCheckResult? Judge { get; init; }
        /// <summary>The generation's model in the store.</summary>
        public CheckpointRef? Checkpoint { get; init; }
        /// <summary>The owned training run.</summary>
        public TrainingRef? TrainingRef { get; init; }
        /// <summary>The evaluation Job.</summary>
        public string? EvaluationJob { get; init; }
        /// <summary>When the gate promoted it.</summary>
        public DateTime? PromotedAt { get; init; }
    }
}
