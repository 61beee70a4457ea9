using System.Text;
using k8s.Models;
using Lineage.Operator.Runtime;

namespace Lineage.LocalNode.Containers;

/// <summary>
/// Makes a pod's volumes as folders on the node: emptyDir as an empty folder, configMap and secret as one file per
/// key (or per item, at its path), downwardAPI as one file per item holding the field's value (as the kubelet writes
/// it: a single label or annotation as its bare value, all labels or annotations as sorted <c>key="value"</c> lines),
/// with the item's mode or the volume's defaultMode (0644 by default); hostPath is the host's folder itself.
/// Files are written once, when the container starts: unlike the kubelet, the node does not rewrite a downwardAPI file
/// when the pod's labels or annotations change later.
/// A missing ConfigMap or Secret that is not optional is a <see cref="ContainerConfigError"/> with the kubelet's
/// FailedMount message. Other volume types are refused with a message naming the volume.
/// </summary>
public sealed class VolumeMaterializer(IResourceClient<V1ConfigMap> configMaps, IResourceClient<V1Secret> secrets)
{
    const int DefaultMode = 420; // 0644

    /// <summary>The host folder of each volume, by volume name.</summary>
    public async Task<IReadOnlyDictionary<string, string>> MaterializeAsync(V1Pod pod, PodDirectories dirs, CancellationToken ct)
    {
        var uid = pod.Metadata.Uid;
        var ns = pod.Metadata.NamespaceProperty;
        var folders = new Dictionary<string, string>();
        foreach (var volume in pod.Spec.Volumes ?? [])
        {
            var folder = dirs.Volume(uid, volume.Name);
            if (volume.EmptyDir is not null)
            {
                Directory.CreateDirectory(folder);
            }
            else if (volume.ConfigMap is { } cmSource)
            {
                var cm = await configMaps.GetAsync(new ObjectKey(ns, cmSource.Name), ct).ConfigureAwait(false);
                if (cm is null && cmSource.Optional != true) throw Failed(volume, $"configmap \"{cmSource.Name}\" not found");
                var data = new Dictionary<string, byte[]>();
                foreach (var (key, value) in cm?.Data ?? new Dictionary<string, string>()) data[key] = Encoding.UTF8.GetBytes(value);
                foreach (var (key, value) in cm?.BinaryData ?? new Dictionary<string, byte[]>()) data[key] = value;
                WriteFiles(volume, folder, data, cmSource.Items, cmSource.DefaultMode, cmSource.Optional == true || cm is null, "configmap", "config key");
            }
            else if (volume.Secret is { } secretSource)
            {
                var secret = await secrets.GetAsync(new ObjectKey(ns, secretSource.SecretName), ct).ConfigureAwait(false);
                if (secret is null && secretSource.Optional != true) throw Failed(volume, $"secret \"{secretSource.SecretName}\" not found");
                var data = new Dictionary<string, byte[]>(secret?.Data ?? new Dictionary<string, byte[]>());
                WriteFiles(volume, folder, data, secretSource.Items, secretSource.DefaultMode, secretSource.Optional == true || secret is null, "secret", "secret key");
            }
            else if (volume.DownwardAPI is { } downward)
            {
                var data = new Dictionary<string, byte[]>();
                var items = new List<V1KeyToPath>();
                foreach (var item in downward.Items ?? [])
                {
                    data[item.Path] = Encoding.UTF8.GetBytes(DownwardValue(pod, volume, item));
                    items.Add(new V1KeyToPath { Key = item.Path, Path = item.Path, Mode = item.Mode });
                }
                WriteFiles(volume, folder, data, items, downward.DefaultMode, optional: false, "downwardAPI", "item");
            }
            else if (volume.HostPath is { } hostPath)
            {
                folder = hostPath.Path;
                if (hostPath.Type is "DirectoryOrCreate") Directory.CreateDirectory(folder);
                else if (!Path.Exists(folder) && hostPath.Type is "Directory" or "File")
                    throw Failed(volume, $"hostPath type check failed: {folder} is not a {hostPath.Type.ToLowerInvariant()}");
            }
            else
            {
                throw new ContainerConfigError(ContainerConfigError.ContainerCreating,
                    $"MountVolume.SetUp failed for volume \"{volume.Name}\" : the local node supports only emptyDir, configMap, secret, downwardAPI and hostPath volumes");
            }
            folders[volume.Name] = folder;
        }
        return folders;
    }

    static void WriteFiles(V1Volume volume, string folder, Dictionary<string, byte[]> data, IList<V1KeyToPath>? items, int? defaultMode,
        bool optional, string kind, string keyWord)
    {
        var files = new List<(string Path, byte[] Bytes, int Mode)>();
        if (items is { Count: > 0 })
        {
            foreach (var item in items)
            {
                if (!data.TryGetValue(item.Key, out var bytes))
                {
                    if (optional) continue;
                    throw Failed(volume, $"{kind} references non-existent {keyWord}: {item.Key}");
                }
                files.Add((item.Path, bytes, item.Mode ?? defaultMode ?? DefaultMode));
            }
        }
        else files.AddRange(data.Select(d => (d.Key, d.Value, defaultMode ?? DefaultMode)));

        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        Directory.CreateDirectory(folder);
        foreach (var (relative, bytes, mode) in files)
        {
            if (Path.IsPathRooted(relative) || relative.Split('/').Contains(".."))
                throw Failed(volume, $"invalid path {relative}: must be relative and may not contain '..'");
            var path = Path.Combine(folder, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, bytes);
            File.SetUnixFileMode(path, (UnixFileMode)(mode & 0x1FF));
        }
    }

    /// <summary>
    /// A downwardAPI item's value: volumes may read only the pod's metadata (name, namespace, uid, labels, annotations)
    /// and its containers' resources, as the kubelet allows.
    /// </summary>
    static string DownwardValue(V1Pod pod, V1Volume volume, V1DownwardAPIVolumeFile item)
    {
        if (item.ResourceFieldRef is { } resource)
        {
            var container = pod.Spec.Containers.FirstOrDefault(c => c.Name == resource.ContainerName)
                ?? throw Failed(volume, $"resourceFieldRef of item {item.Path} names no container of the pod ({resource.ContainerName})");
            return EnvironmentResolver.ResourceValue(pod, container, resource);
        }
        var path = item.FieldRef?.FieldPath ?? throw Failed(volume, $"item {item.Path} has neither fieldRef nor resourceFieldRef");
        return path switch
        {
            "metadata.labels" => MapLines(pod.Metadata.Labels),
            "metadata.annotations" => MapLines(pod.Metadata.Annotations),
            _ when path.StartsWith("metadata.", StringComparison.Ordinal) => EnvironmentResolver.FieldValue(pod, path, KubeletSettings.HostIp),
            _ => throw Failed(volume, $"fieldPath {path} of item {item.Path} is not supported in a volume (only metadata fields are)"),
        };
    }

    static readonly System.Text.Json.JsonSerializerOptions Quoting = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The kubelet's format for a whole label or annotation map: sorted <c>key="value"</c> lines, the value quoted (JSON's quoting, which is Go's %q for printable text).</summary>
    static string MapLines(IDictionary<string, string>? map) =>
        string.Join("\n", (map ?? new Dictionary<string, string>()).OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => $"{kv.Key}={System.Text.Json.JsonSerializer.Serialize(kv.Value, Quoting)}"));

    static ContainerConfigError Failed(V1Volume volume, string why) =>
        new(ContainerConfigError.ContainerCreating, $"MountVolume.SetUp failed for volume \"{volume.Name}\" : {why}");
}
