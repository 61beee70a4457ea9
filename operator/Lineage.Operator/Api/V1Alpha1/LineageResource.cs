using k8s;
using k8s.Models;
using Lineage.Operator.Api.Schema;

namespace Lineage.Operator.Api.V1Alpha1;

/// <summary>
/// A lineage that grows itself: generation 0 is made from the base, then each next Generation is bred from the
/// current champion by the next step of the plan, evaluated on the same held-out set and promoted by the gate,
/// until maxGenerations or the stopping rule. (The C# name is LineageResource because Lineage is the root namespace.)
/// </summary>
[KubernetesEntity(Group = Group.Name, ApiVersion = Group.Version, Kind = KindName, PluralName = Plural)]
[ResourceNames("lin", Categories = [Group.Category])]
[PrinterColumn("Champion", "string", ".status.champion.name")]
[PrinterColumn("Generations", "integer", ".status.generations")]
[PrinterColumn("Best Score", "number", ".status.champion.score")]
[PrinterColumn("Phase", "string", ".status.phase")]
[PrinterColumn("Age", "date", ".metadata.creationTimestamp")]
[SelectableField(".status.phase")]
public sealed class LineageResource : IKubernetesObject<V1ObjectMeta>, ISpec<LineageResource.LineageSpec>, IStatus<LineageResource.LineageStatus?>
{
    public const string KindName = "Lineage";
    public const string Plural = "lineages";

    public string ApiVersion { get; set; } = Group.ApiVersion;
    public string Kind { get; set; } = KindName;
    public V1ObjectMeta Metadata { get; set; } = new();
    /// <summary>How generation 0 is made, what every generation shares, and the plan of improvement steps.</summary>
    [Required]
    public LineageSpec Spec { get; set; } = new();
    /// <summary>Observed state, written by the operator.</summary>
    public LineageStatus? Status { get; set; }

    /// <summary>The base, the template, the plan and when to stop.</summary>
    public sealed record LineageSpec
    {
        public const string AutoApproval = "auto";
        public const string ManualApproval = "manual";

        /// <summary>How generation 0 is made: a model URI imported as is, or training (e.g. demonstrations into a fresh model).</summary>
        [Required]
        public LineageBase Base { get; init; } = new();
        /// <summary>What every generation shares: the fixed held-out evaluation, the promotion gate, placement and storage.</summary>
        [Required]
        public GenerationTemplate Template { get; init; } = new();
        /// <summary>The improvement steps, applied in order and repeated: generation n (n ≥ 1) uses step (n − 1) mod len(plan).</summary>
        [Required, Length(1, 32)]
        public IReadOnlyList<PlanStep> Plan { get; init; } = [];
        /// <summary>Generations to breed in all, generation 0 included (Rejected and Failed ones count).</summary>
        [Range(1, 200)]
        public int MaxGenerations { get; init; } = 3;
        /// <summary>The stopping rule: stop after patience generations without minImprovement over the champion.</summary>
        public StopRule Stop { get; init; } = new();
        /// <summary>Breed no new generation (the running one finishes).</summary>
        public bool Suspend { get; init; }
        /// <summary>auto promotes when the gate passes; manual makes each generation wait for the lineage.dev/approved annotation.</summary>
        [Enum(AutoApproval, ManualApproval)]
        public string Approval { get; init; } = AutoApproval;
    }

    /// <summary>Where the lineage is, its champion and every generation it bred.</summary>
    public sealed record LineageStatus
    {
        /// <summary>Growing, Suspended, Plateaued, Complete or Failed.</summary>
        public string? Phase { get; init; }
        /// <summary>Growing, Suspended, Plateaued, Complete (and Failed), keyed by type.</summary>
        [ListMap("type")]
        public IReadOnlyList<Condition> Conditions { get; init; } = [];
        /// <summary>metadata.generation this status was computed from.</summary>
        public long? ObservedGeneration { get; init; }
        /// <summary>Generations bred so far.</summary>
        public int Generations { get; init; }
        /// <summary>The newest Promoted generation: the next generation's parent.</summary>
        public Champion? Champion { get; init; }
        /// <summary>Every generation bred, oldest first.</summary>
        public IReadOnlyList<LineageHistoryEntry> History { get; init; } = [];
    }
}
