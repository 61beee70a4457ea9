using k8s;
using k8s.Models;
using Lineage.Operator.Api.Schema;

namespace Lineage.Operator.Api.V1Alpha1;

/// <summary>
/// Distils a teacher's test-time compute into a student: lineage-trainer distill in a Job; status mirrors
/// the Job and progress.json.
/// </summary>
[KubernetesEntity(Group = Group.Name, ApiVersion = Group.Version, Kind = KindName, PluralName = Plural)]
[ResourceNames("distill", Categories = [Group.Category])]
[PrinterColumn("Phase", "string", ".status.phase")]
[PrinterColumn("Strategy", "string", ".spec.strategy")]
[PrinterColumn("Step", "integer", ".status.step")]
[PrinterColumn("Kept", "integer", ".status.tracesKept")]
[PrinterColumn("Teacher", "number", ".status.teacherAccuracyWithStrategy", Description = "Teacher accuracy with test-time compute")]
[PrinterColumn("Age", "date", ".metadata.creationTimestamp")]
[SelectableField(".status.phase")]
public sealed class Distillation : IKubernetesObject<V1ObjectMeta>, ISpec<Distillation.DistillationSpec>, IStatus<Distillation.DistillationStatus?>
{
    public const string KindName = "Distillation";
    public const string Plural = "distillations";

    public string ApiVersion { get; set; } = Group.ApiVersion;
    public string Kind { get; set; } = KindName;
    public V1ObjectMeta Metadata { get; set; } = new();
    /// <summary>Teacher, strategy, filter, student and placement.</summary>
    [Required]
    public DistillationSpec Spec { get; set; } = new();
    /// <summary>Observed state, written by the operator.</summary>
    public DistillationStatus? Status { get; set; }

    /// <summary>The run's teacher, output and placement, plus the distillation settings.</summary>
    [CelRule("has(self.teacher) != has(self.demonstrations)", "set exactly one of teacher or demonstrations")]
    public sealed record DistillationSpec : DistillationTemplate
    {
        public DistillationSpec() { }
        /// <summary>A run made from a Generation's template; the caller sets the model, output and placement.</summary>
        public DistillationSpec(DistillationTemplate template) : base(template) { }

        /// <summary>The teacher model; absent when the run trains on demonstrations.</summary>
        public ModelRef? Teacher { get; init; }
        /// <summary>Store URI of the student model; ending in /model puts progress.json and checkpoints beside it.</summary>
        [Required, Pattern(Patterns.StoreUri)]
        public string Output { get; init; } = "";
        /// <summary>Pod image and placement.</summary>
        public Resources Resources { get; init; } = new();
        /// <summary>Store credentials and endpoint.</summary>
        [Required]
        public StorageSpec Storage { get; init; } = new();
    }

    /// <summary>A run's status plus the traces and the teacher's accuracy with and without test-time compute.</summary>
    public sealed record DistillationStatus : RunStatus
    {
        public DistillationStatus() { }
        public DistillationStatus(RunStatus run) : base(run) { }

        /// <summary>Traces the teacher generated.</summary>
        public long? TracesGenerated { get; init; }
        /// <summary>Traces that passed the filter.</summary>
        public long? TracesKept { get; init; }
        /// <summary>The teacher's accuracy with one greedy sample.</summary>
        public double? TeacherAccuracy { get; init; }
        /// <summary>The teacher's accuracy with the test-time strategy.</summary>
        public double? TeacherAccuracyWithStrategy { get; init; }
        /// <summary>The student's greedy accuracy on the same held-out problems.</summary>
        public double? StudentAccuracy { get; init; }
        /// <summary>(student − teacher greedy) / (teacher with strategy − teacher greedy): the share of the strategy's
        /// gain the student keeps in one greedy pass.</summary>
        public double? Internalisation { get; init; }
    }
}
