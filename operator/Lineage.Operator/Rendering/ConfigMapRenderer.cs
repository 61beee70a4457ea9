using k8s.Models;
using Lineage.Contracts.Config;

namespace Lineage.Operator.Rendering;

/// <summary>The trainer config as config.yaml in a ConfigMap the Job mounts at /etc/lineage.</summary>
public static class ConfigMapRenderer
{
    public const string Key = "config.yaml";
    public const string MountPath = "/etc/lineage";
    public const string ConfigPath = MountPath + "/" + Key;

    public static V1ConfigMap Render<T>(string name, string @namespace, V1OwnerReference owner, IDictionary<string, string> labels, T config) => new()
    {
        ApiVersion = "v1",
        Kind = "ConfigMap",
        Metadata = new V1ObjectMeta
        {
            Name = name,
            NamespaceProperty = @namespace,
            Labels = new Dictionary<string, string>(labels),
            OwnerReferences = [owner],
        },
        Data = new Dictionary<string, string> { [Key] = ConfigLoader.ToYaml(config) },
    };
}
