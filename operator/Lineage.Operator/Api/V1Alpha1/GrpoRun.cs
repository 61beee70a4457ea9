using k8s;
using k8s.Models;
using Lineage.Operator.Api.Schema;

namespace Lineage.Operator.Api.V1Alpha1;

/// <summary>One GRPO training run of lineage-trainer in a Job; status mirrors the Job and progress.json.</summary>
[KubernetesEntity(Group = Group.Name, ApiVersion = Group.Version, Kind = KindName, PluralName = Plural)]
[ResourceNames("grpo", Categories = [Group.Category])]
[PrinterColumn("Phase", "string", ".status.phase")]
[PrinterColumn("Step", "integer", ".status.step")]
[PrinterColumn("Reward", "number", ".status.metrics.rewardMean")]
[PrinterColumn("KL", "number", ".status.metrics.kl", Priority = 1)]
[PrinterColumn("Job", "string", ".status.jobName", Priority = 1)]
[PrinterColumn("Age", "date", ".metadata.creationTimestamp")]
[SelectableField(".status.phase")]
public sealed class GrpoRun : IKubernetesObject<V1ObjectMeta>, ISpec<GrpoRun.GrpoRunSpec>, IStatus<GrpoRun.GrpoRunStatus?>
{
    public const string KindName = "GrpoRun";
    public const string Plural = "grporuns";

    public string ApiVersion { get; set; } = Group.ApiVersion;
    public string Kind { get; set; } = KindName;
    public V1ObjectMeta Metadata { get; set; } = new();
    /// <summary>What to train, on what, with which settings.</summary>
    [Required]
    public GrpoRunSpec Spec { get; set; } = new();
    /// <summary>Observed state, written by the operator.</summary>
    public GrpoRunStatus? Status { get; set; }

    /// <summary>The run's model, output and placement, plus the GRPO settings.</summary>
    public sealed record GrpoRunSpec : GrpoTemplate
    {
        public GrpoRunSpec() { }
        /// <summary>A run made from a Generation's template; the caller sets the model, output and placement.</summary>
        public GrpoRunSpec(GrpoTemplate template) : base(template) { }

        /// <summary>The policy to improve (also the KL reference).</summary>
        [Required]
        public ModelRef Policy { get; init; } = new();
        /// <summary>Store URI of the trained model; ending in /model puts progress.json and checkpoints beside it.</summary>
        [Required, Pattern(Patterns.StoreUri)]
        public string Output { get; init; } = "";
        /// <summary>Pod image and placement.</summary>
        public Resources Resources { get; init; } = new();
        /// <summary>Store credentials and endpoint.</summary>
        [Required]
        public StorageSpec Storage { get; init; } = new();
    }

    /// <summary>A run's status plus its judge check (progress.json's judge).</summary>
    public sealed record GrpoRunStatus : RunStatus
    {
        public GrpoRunStatus() { }
        public GrpoRunStatus(RunStatus run) : base(run) { }

        /// <summary>The judge term's qualification: pick accuracy vs a random sample, and whether the run uses the judge.</summary>
        public Lineage.Contracts.Store.JudgeCheckResult? Judge { get; init; }
    }
}
