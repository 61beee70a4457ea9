using Lineage.Contracts.Store;
using Lineage.Operator.Api.V1Alpha1;
using Lineage.Operator.Rendering;
using Lineage.Operator.Runtime;

namespace Lineage.Operator.Controllers;

/// <summary>GrpoRun: <c>lineage-trainer grpo</c> with the policy as input.</summary>
public sealed class GrpoRunKind : TrainingRunKind<GrpoRun>
{
    public static readonly GrpoRunKind Instance = new();

    public override string Command => "grpo";
    public override IResourceClient<GrpoRun> Client(Cluster cluster) => cluster.GrpoRuns;
    public override GrpoRun? Cached(ClusterCache cache, ObjectKey key) => cache.GrpoRun(key);
    public override ModelRef Input(GrpoRun run) => run.Spec.Policy;
    public override string Output(GrpoRun run) => run.Spec.Output;
    public override RunControl Control(GrpoRun run) => run.Spec;
    public override Resources Resources(GrpoRun run) => run.Spec.Resources;
    public override StorageSpec Storage(GrpoRun run) => run.Spec.Storage;
    public override RunStatus? Status(GrpoRun run) => run.Status;
    public override void SetStatus(GrpoRun run, RunStatus status, Progress? progress) =>
        run.Status = new GrpoRun.GrpoRunStatus(status) { Judge = progress?.Judge ?? run.Status?.Judge };
    public override object Config(GrpoRun run, string input) => TrainerConfigs.Grpo(run.Spec, input);
}
