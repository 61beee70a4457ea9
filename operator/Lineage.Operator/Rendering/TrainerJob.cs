using k8s.Models;
using Lineage.Operator.Api.V1Alpha1;

namespace Lineage.Operator.Rendering;

/// <summary>Everything a trainer Job is rendered from: its name, owner, command and the run's placement.</summary>
public sealed record TrainerJob(
    string Name,
    string Namespace,
    V1OwnerReference Owner,
    IReadOnlyDictionary<string, string> Labels,
    string Command,
    string ConfigMapName,
    Resources Resources,
    StorageSpec Storage,
    bool Suspend = false,
    long? ActiveDeadlineSeconds = null,
    int BackoffLimit = 3);
