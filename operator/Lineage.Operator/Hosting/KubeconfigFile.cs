using k8s;
using k8s.Exceptions;
using k8s.KubeConfigModels;
using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace Lineage.Operator.Hosting;

/// <summary>
/// Reads a kubeconfig file into the client's configuration with a plain YAML reader (the kubeconfig model's own
/// <c>[YamlMember]</c> names). KubernetesClient's loader goes through <c>KubernetesYaml</c>, whose first use builds a
/// serializer for every API model: ~25 MB allocated, ~6 MB kept for the life of the process and ~35 MB more RSS before
/// the first object (docs/benchmarks/operator.md, "Memory, 2026-12-06"); reading a kubeconfig needs none of it.
/// Relative certificate and key paths are read next to the file, as the client's loader does.
/// </summary>
public static class KubeconfigFile
{
    static readonly IDeserializer Reader = new DeserializerBuilder().IgnoreUnmatchedProperties().Build();

    public static KubernetesClientConfiguration Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"kubeconfig not found: {path}", path);
        var full = Path.GetFullPath(path);
        K8SConfiguration? config;
        try { config = Reader.Deserialize<K8SConfiguration>(File.ReadAllText(full)); }
        catch (YamlException e) { throw new KubeConfigException($"kubeconfig {path}: {e.Message}"); }
        if (config is null) throw new KubeConfigException($"kubeconfig {path} is empty");
        config.FileName = full;
        return KubernetesClientConfiguration.BuildConfigFromConfigObject(config);
    }
}
