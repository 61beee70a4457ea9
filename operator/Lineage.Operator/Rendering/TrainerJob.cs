using k8s.Models;
using Lineage.Operator.Api.V1Alpha1;

namespace Lineage.Operator.Rendering;

/// <summary>Everything a trainer Job is rendered from: its name, owner, command, the trainer config (YAML, see
/// <see cref="TrainerConfigFile"/>) and the run's placement.</summary>
public sealed record TrainerJob(
    string Name,
    string Namespace,
    V1OwnerReference Owner,
    IReadOnlyDictionary<string, string> Labels,
    string Command,
    string ConfigYaml,
    Resources Resources,
    StorageSpec Storage,
    bool Suspend = false,
    long? ActiveDeadlineSeconds = null,
    int BackoffLimit = 3);
