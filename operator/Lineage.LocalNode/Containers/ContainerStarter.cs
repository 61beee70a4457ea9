using k8s;
using k8s.Models;
using Lineage.LocalNode.Processes;
using Lineage.LocalNode.Scheduling;
using Lineage.Operator.Runtime;
using Microsoft.Extensions.Logging;

namespace Lineage.LocalNode.Containers;

/// <summary>
/// Starts a pod's container: materialises its volumes, resolves its environment, plans the process
/// (<see cref="ContainerLaunch"/>), records it and starts it. Whatever is missing (a Secret, a ConfigMap, an
/// image mapping) is a <see cref="ContainerConfigError"/>: the pod stays Pending and the kubelet tries again.
/// </summary>
internal sealed class ContainerStarter(IKubernetes client, KubeletSettings settings, ILogger log)
{
    readonly VolumeMaterializer volumes = new(new ResourceClient<V1ConfigMap>(client), new ResourceClient<V1Secret>(client));
    readonly ResourceClient<V1Secret> secrets = new(client);
    readonly ResourceClient<V1ConfigMap> configMaps = new(client);

    /// <summary>The process of a pod as it would run now, or a <see cref="ContainerConfigError"/> saying why it cannot.</summary>
    public async Task<ProcessSpec> PlanAsync(V1Pod pod, V1Container container, CancellationToken ct)
    {
        var ns = pod.Metadata.NamespaceProperty;
        var secretObjects = new Dictionary<string, V1Secret?>();
        foreach (var name in EnvironmentResolver.SecretsUsed(container))
            secretObjects[name] = await secrets.GetAsync(new ObjectKey(ns, name), ct).ConfigureAwait(false);
        var configMapObjects = new Dictionary<string, V1ConfigMap?>();
        foreach (var name in EnvironmentResolver.ConfigMapsUsed(container))
            configMapObjects[name] = await configMaps.GetAsync(new ObjectKey(ns, name), ct).ConfigureAwait(false);
        var env = EnvironmentResolver.Resolve(pod, container, secretObjects, configMapObjects, KubeletSettings.HostIp);
        var folders = await volumes.MaterializeAsync(pod, settings.Directories, ct).ConfigureAwait(false);
        var spec = ContainerLaunch.Plan(pod, container, env, folders, settings.Directories, settings.Images.EntrypointOf(container.Image), settings.BaseEnvironment);
        return settings.EnforceMemoryLimits ? spec : spec with { MemoryLimitBytes = null };
    }

    /// <summary>
    /// Writes the process record, then starts the process held at its gate, records its pid and start time, and
    /// lets it run. The record is written before the process can do anything, so a node that dies at any point
    /// finds it again.
    /// </summary>
    public ContainerProcess Start(V1Pod pod, V1Container container, ProcessSpec spec, ResourceList requests, int graceSeconds, DateTime now, string recordPath)
    {
        var uid = pod.Metadata.Uid;
        var dirs = settings.Directories;
        Directory.CreateDirectory(dirs.Home(uid, container.Name));
        Directory.CreateDirectory(dirs.Tmp(uid, container.Name));
        Directory.CreateDirectory(dirs.Work(uid, container.Name));
        // A working directory inside the pod's folder is made as needed; one elsewhere on the node must exist
        // (the node does not create folders outside its data directory).
        if (spec.WorkingDirectory.StartsWith(dirs.Root(uid) + "/", StringComparison.Ordinal)) Directory.CreateDirectory(spec.WorkingDirectory);
        else if (!Directory.Exists(spec.WorkingDirectory))
            throw new InvalidOperationException($"workingDir {spec.WorkingDirectory} does not exist on the local node (only folders under the pod's volumes are created)");
        Directory.CreateDirectory(Path.GetDirectoryName(spec.LogPath)!);
        var record = new ProcessRecord
        {
            PodNamespace = pod.Metadata.NamespaceProperty,
            PodName = pod.Metadata.Name,
            PodUid = uid,
            Container = container.Name,
            Image = container.Image ?? "",
            StartedAt = now,
            BootId = ProcStat.BootId(),
            GracePeriodSeconds = graceSeconds,
            Requests = requests.Names.ToDictionary(n => n, n => requests[n]),
        };
        record.Save(recordPath);
        var process = ContainerProcess.Start(spec, (pid, ticks) => (record with { Pid = pid, StartTicks = ticks }).Save(recordPath), log);
        log.LogInformation("started pod {Pod} container {Container}: pid {Pid}, {Command}", pod.Key(), container.Name, process.Pid,
            string.Join(' ', [spec.FileName, .. spec.Arguments]));
        return process;
    }

    /// <summary>Where the executable is (an absolute path, or the first match on the container's PATH); null when it does not exist.</summary>
    public static string? Locate(ProcessSpec spec)
    {
        if (spec.FileName.Contains('/'))
        {
            var path = Path.IsPathRooted(spec.FileName) ? spec.FileName : Path.Combine(spec.WorkingDirectory, spec.FileName);
            return File.Exists(path) ? path : null;
        }
        var search = spec.Environment.GetValueOrDefault("PATH") ?? "/usr/local/bin:/usr/bin:/bin";
        return search.Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, spec.FileName))
            .FirstOrDefault(File.Exists);
    }
}
