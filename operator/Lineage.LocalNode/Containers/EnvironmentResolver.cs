using System.Globalization;
using System.Text;
using k8s.Models;

namespace Lineage.LocalNode.Containers;

/// <summary>
/// A container's environment as the kubelet makes it (makeEnvironmentVariables): <c>envFrom</c> first, then
/// <c>env</c> in order, each <c>value</c> expanded against the variables before it; <c>secretKeyRef</c>,
/// <c>configMapKeyRef</c>, <c>fieldRef</c> and <c>resourceFieldRef</c> resolved. A missing Secret, ConfigMap or key
/// that is not optional is a <see cref="ContainerConfigError"/> with the kubelet's message. Pure: the Secrets and
/// ConfigMaps named by <see cref="SecretsUsed"/> and <see cref="ConfigMapsUsed"/> are fetched by the caller
/// (null when absent).
/// </summary>
public static class EnvironmentResolver
{
    public static IReadOnlySet<string> SecretsUsed(V1Container container) =>
        (container.EnvFrom ?? []).Select(e => e.SecretRef?.Name)
            .Concat((container.Env ?? []).Select(e => e.ValueFrom?.SecretKeyRef?.Name))
            .Where(n => !string.IsNullOrEmpty(n)).Select(n => n!).ToHashSet();

    public static IReadOnlySet<string> ConfigMapsUsed(V1Container container) =>
        (container.EnvFrom ?? []).Select(e => e.ConfigMapRef?.Name)
            .Concat((container.Env ?? []).Select(e => e.ValueFrom?.ConfigMapKeyRef?.Name))
            .Where(n => !string.IsNullOrEmpty(n)).Select(n => n!).ToHashSet();

    /// <summary>The container's variables in order (a later one replaces an earlier one of the same name).</summary>
    public static IReadOnlyDictionary<string, string> Resolve(
        V1Pod pod, V1Container container, IReadOnlyDictionary<string, V1Secret?> secrets, IReadOnlyDictionary<string, V1ConfigMap?> configMaps,
        string hostIp)
    {
        var ns = pod.Metadata.NamespaceProperty;
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var source in container.EnvFrom ?? [])
        {
            var prefix = source.Prefix ?? "";
            if (source.ConfigMapRef is { } cmRef)
            {
                if (configMaps.GetValueOrDefault(cmRef.Name) is not { } cm)
                {
                    if (cmRef.Optional == true) continue;
                    throw ContainerConfigError.Config($"configmap \"{cmRef.Name}\" not found");
                }
                foreach (var (key, value) in cm.Data ?? new Dictionary<string, string>()) env[prefix + key] = value;
            }
            if (source.SecretRef is { } sRef)
            {
                if (secrets.GetValueOrDefault(sRef.Name) is not { } secret)
                {
                    if (sRef.Optional == true) continue;
                    throw ContainerConfigError.Config($"secret \"{sRef.Name}\" not found");
                }
                foreach (var (key, value) in secret.Data ?? new Dictionary<string, byte[]>()) env[prefix + key] = Encoding.UTF8.GetString(value);
            }
        }
        foreach (var variable in container.Env ?? [])
        {
            if (variable.ValueFrom is not { } from)
            {
                env[variable.Name] = VariableExpansion.Expand(variable.Value ?? "", n => env.GetValueOrDefault(n));
                continue;
            }
            if (from.SecretKeyRef is { } secretKey)
            {
                var optional = secretKey.Optional == true;
                if (secrets.GetValueOrDefault(secretKey.Name) is not { } secret)
                {
                    if (optional) continue;
                    throw ContainerConfigError.Config($"secret \"{secretKey.Name}\" not found");
                }
                if (secret.Data?.TryGetValue(secretKey.Key, out var bytes) != true)
                {
                    if (optional) continue;
                    throw ContainerConfigError.Config($"couldn't find key {secretKey.Key} in Secret {ns}/{secretKey.Name}");
                }
                env[variable.Name] = Encoding.UTF8.GetString(bytes!);
            }
            else if (from.ConfigMapKeyRef is { } cmKey)
            {
                var optional = cmKey.Optional == true;
                if (configMaps.GetValueOrDefault(cmKey.Name) is not { } cm)
                {
                    if (optional) continue;
                    throw ContainerConfigError.Config($"configmap \"{cmKey.Name}\" not found");
                }
                if (cm.Data?.TryGetValue(cmKey.Key, out var value) != true)
                {
                    if (optional) continue;
                    throw ContainerConfigError.Config($"couldn't find key {cmKey.Key} in ConfigMap {ns}/{cmKey.Name}");
                }
                env[variable.Name] = value!;
            }
            else if (from.FieldRef is { } field) env[variable.Name] = FieldValue(pod, field.FieldPath, hostIp);
            else if (from.ResourceFieldRef is { } resource) env[variable.Name] = ResourceValue(pod, container, resource);
        }
        return env;
    }

    /// <summary>The downward API fields a container can read from its env.</summary>
    public static string FieldValue(V1Pod pod, string path, string hostIp)
    {
        var meta = pod.Metadata;
        switch (path)
        {
            case "metadata.name": return meta.Name ?? "";
            case "metadata.namespace": return meta.NamespaceProperty ?? "";
            case "metadata.uid": return meta.Uid ?? "";
            case "spec.nodeName": return pod.Spec?.NodeName ?? "";
            case "spec.serviceAccountName": return pod.Spec?.ServiceAccountName ?? "";
            case "status.hostIP" or "status.podIP" or "status.hostIPs" or "status.podIPs": return hostIp;
        }
        if (Subscript(path, "metadata.labels") is { } label) return meta.Labels?.TryGetValue(label, out var l) == true ? l : "";
        if (Subscript(path, "metadata.annotations") is { } annotation) return meta.Annotations?.TryGetValue(annotation, out var a) == true ? a : "";
        throw ContainerConfigError.Config($"unsupported fieldPath: {path}");
    }

    /// <summary>limits.cpu, requests.memory and friends, divided by the divisor and rounded up (a limit defaults to the node's capacity, which is not known here: to the request).</summary>
    public static string ResourceValue(V1Pod pod, V1Container owner, V1ResourceFieldSelector selector)
    {
        var container = string.IsNullOrEmpty(selector.ContainerName) ? owner : pod.Spec.Containers.FirstOrDefault(c => c.Name == selector.ContainerName) ?? owner;
        var parts = selector.Resource.Split('.', 2);
        if (parts.Length != 2 || parts[0] is not ("limits" or "requests"))
            throw ContainerConfigError.Config($"unsupported resourceFieldRef: {selector.Resource}");
        var list = parts[0] == "limits" ? container.Resources?.Limits ?? container.Resources?.Requests : container.Resources?.Requests;
        if (list?.TryGetValue(parts[1], out var quantity) != true) return "0";
        var divisor = selector.Divisor?.ToDecimal() is > 0 and var d ? d : 1m;
        return Math.Ceiling(quantity!.ToDecimal() / divisor).ToString(CultureInfo.InvariantCulture);
    }

    static string? Subscript(string path, string field) =>
        path.StartsWith(field + "['", StringComparison.Ordinal) && path.EndsWith("']", StringComparison.Ordinal)
            ? path[(field.Length + 2)..^2]
            : null;
}
