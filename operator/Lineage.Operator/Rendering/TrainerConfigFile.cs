using System.Security.Cryptography;
using System.Text;
using Lineage.Contracts.Config;

namespace Lineage.Operator.Rendering;

/// <summary>
/// The trainer config as <c>/etc/lineage/config.yaml</c>, carried by the Job itself: the rendered YAML is an annotation
/// on the pod template, and a downwardAPI volume (<c>fieldRef: metadata.annotations['lineage.dev/config']</c>) writes it
/// to the file the trainer reads, as the kubelet does. No ConfigMap: one write less per Job, nothing to read back.
/// The Job's own metadata carries the YAML's SHA-256, so a controller that caches Jobs without their pod template can
/// tell whether a Job runs the config the spec renders now.
/// </summary>
public static class TrainerConfigFile
{
    public const string Key = "config.yaml";
    public const string MountPath = "/etc/lineage";
    public const string ConfigPath = MountPath + "/" + Key;

    /// <summary>The pod template annotation holding the YAML.</summary>
    public const string Annotation = "lineage.dev/config";
    /// <summary>The Job annotation holding the YAML's SHA-256 (hex).</summary>
    public const string HashAnnotation = "lineage.dev/config-sha256";
    /// <summary>The downwardAPI fieldPath that reads the YAML from the pod's annotations.</summary>
    public const string FieldPath = "metadata.annotations['" + Annotation + "']";

    /// <summary>
    /// kube-apiserver refuses an object whose annotations (keys and values) exceed 256 KiB in total; 16 KiB of that is
    /// left for what others add to a pod (admission webhooks, service meshes, the Job controller).
    /// </summary>
    public const int MaxBytes = 256 * 1024 - 16 * 1024;

    /// <summary>The YAML the trainer reads, or a <see cref="ConfigError"/> naming <paramref name="field"/> when a Job cannot carry it.</summary>
    public static string Yaml<T>(T config, string field)
    {
        var yaml = ConfigLoader.ToYaml(config);
        var bytes = Encoding.UTF8.GetByteCount(yaml);
        if (bytes > MaxBytes)
            throw new ConfigError(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"{field}: the rendered trainer config is {bytes:N0} bytes, over the {MaxBytes:N0} a Job can carry ")
                + "(it travels as a pod annotation, and Kubernetes limits a pod's annotations to 256 KiB): make the inline parts of the spec smaller");
        return yaml;
    }

    public static string Hash(string yaml) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(yaml)));
}
