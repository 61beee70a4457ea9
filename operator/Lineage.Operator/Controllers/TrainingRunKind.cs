using k8s;
using k8s.Models;
using Lineage.Contracts.Store;
using Lineage.Operator.Api.V1Alpha1;
using Lineage.Operator.Runtime;

namespace Lineage.Operator.Controllers;

/// <summary>What differs between a GrpoRun and a Distillation for the one training-run controller.</summary>
public abstract class TrainingRunKind<TRun> where TRun : class, IKubernetesObject<V1ObjectMeta>
{
    /// <summary>The trainer subcommand (grpo, distill).</summary>
    public abstract string Command { get; }
    public abstract IResourceClient<TRun> Client(Cluster cluster);
    /// <summary>The run as the informer cache holds it (not to be modified), null when it is gone.</summary>
    public abstract TRun? Cached(ClusterCache cache, ObjectKey key);
    /// <summary>The model the run starts from; null when it needs none (a distillation of demonstrations into a fresh student).</summary>
    public abstract ModelRef? Input(TRun run);
    public abstract string Output(TRun run);
    public abstract RunControl Control(TRun run);
    public abstract Resources Resources(TRun run);
    public abstract StorageSpec Storage(TRun run);
    public abstract RunStatus? Status(TRun run);
    public abstract void SetStatus(TRun run, RunStatus status, Progress? progress);
    /// <summary>The trainer config for the resolved input model; throws ConfigError naming the field.</summary>
    public abstract object Config(TRun run, string input);
}
