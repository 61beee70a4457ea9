using Lineage.Contracts.Store;
using Lineage.Operator.Api.V1Alpha1;
using Lineage.Operator.Decisions;
using Lineage.Operator.Rendering;
using Lineage.Operator.Runtime;

namespace Lineage.Operator.Controllers;

/// <summary>Distillation: <c>lineage-trainer distill</c> with the teacher as input (none for demonstrations); status adds the trace counts and internalisation.</summary>
public sealed class DistillationKind : TrainingRunKind<Distillation>
{
    public static readonly DistillationKind Instance = new();

    public override string Command => "distill";
    public override IResourceClient<Distillation> Client(Cluster cluster) => cluster.Distillations;
    public override Distillation? Cached(ClusterCache cache, ObjectKey key) => cache.Distillation(key);
    public override ModelRef? Input(Distillation run) => run.Spec.Teacher;
    public override string Output(Distillation run) => run.Spec.Output;
    public override RunControl Control(Distillation run) => run.Spec;
    public override Resources Resources(Distillation run) => run.Spec.Resources;
    public override StorageSpec Storage(Distillation run) => run.Spec.Storage;
    public override RunStatus? Status(Distillation run) => run.Status;
    public override void SetStatus(Distillation run, RunStatus status, Progress? progress) =>
        run.Status = ProgressMetrics.Distillation(status, progress?.Metrics, run.Status);
    public override object Config(Distillation run, string input) => TrainerConfigs.Distill(run.Spec, input);
}
