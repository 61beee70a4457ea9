using System.Globalization;
using k8s.Models;
using Lineage.LocalNode.Processes;

namespace Lineage.LocalNode.Containers;

/// <summary>
/// Turns a pod's container into a local process (pure): the image's entrypoint from the node's image map (or the
/// container's <c>command</c>, which replaces it) followed by <c>args</c>, both with <c>$(VAR)</c> expanded; the
/// environment is the node's base variables, then what the kubelet provides (HOSTNAME; HOME and TMPDIR inside the
/// pod's folder; OMP_NUM_THREADS, MKL_NUM_THREADS and DOTNET_PROCESSOR_COUNT from the CPU limit), then the
/// container's own; mount paths in command, args, env values and workingDir are rewritten to the volumes'
/// folders (<see cref="PathRewriter"/>).
/// </summary>
public static class ContainerLaunch
{
    public const string DefaultTerminationMessagePath = "/dev/termination-log";
    static readonly string[] ThreadVariables = ["OMP_NUM_THREADS", "MKL_NUM_THREADS", "DOTNET_PROCESSOR_COUNT"];

    /// <param name="pod">The pod.</param>
    /// <param name="container">Its container.</param>
    /// <param name="containerEnv">The container's variables, resolved (<see cref="EnvironmentResolver"/>).</param>
    /// <param name="volumes">The host folder of each volume.</param>
    /// <param name="dirs">The node's folders.</param>
    /// <param name="entrypoint">The image's entrypoint on this node (null: the image is not mapped).</param>
    /// <param name="baseEnv">Variables every container gets first (the node's PATH, for instance).</param>
    public static ProcessSpec Plan(
        V1Pod pod, V1Container container, IReadOnlyDictionary<string, string> containerEnv, IReadOnlyDictionary<string, string> volumes,
        PodDirectories dirs, IReadOnlyList<string>? entrypoint, IReadOnlyDictionary<string, string> baseEnv)
    {
        var uid = pod.Metadata.Uid;
        var mounts = Mounts(pod, container, volumes, dirs);
        var rewriter = new PathRewriter(mounts);

        var env = new Dictionary<string, string>(baseEnv, StringComparer.Ordinal)
        {
            ["HOSTNAME"] = pod.Metadata.Name,
            ["HOME"] = dirs.Home(uid, container.Name),
            ["TMPDIR"] = mounts.FirstOrDefault(m => m.Key == "/tmp").Value ?? dirs.Tmp(uid, container.Name),
        };
        if (Threads(container) is { } threads)
            foreach (var name in ThreadVariables) env[name] = threads.ToString(CultureInfo.InvariantCulture);
        foreach (var (name, value) in containerEnv) env[name] = rewriter.Rewrite(value);

        // Rewrite the text as written, then substitute variables (their values are rewritten already): no path is rewritten twice.
        string Expand(string s) => VariableExpansion.Expand(rewriter.Rewrite(s), env.GetValueOrDefault);
        if (entrypoint is null)
            throw new ContainerConfigError(ContainerConfigError.ErrImagePull,
                $"the local node maps no command to image \"{container.Image}\" (add it, or \"*\", to the node's image map)");
        var command = container.Command is { Count: > 0 } own ? own.Select(Expand).ToList() : entrypoint.ToList();
        if (command.Count == 0)
            throw new ContainerConfigError(ContainerConfigError.CreateContainerError, "no command specified");
        var arguments = command.Skip(1).Concat((container.Args ?? []).Select(Expand)).ToList();

        var workingDir = string.IsNullOrEmpty(container.WorkingDir) ? dirs.Work(uid, container.Name) : rewriter.Rewrite(container.WorkingDir);
        long? memory = container.Resources?.Limits?.TryGetValue("memory", out var limit) == true ? (long)limit.ToDecimal() : null;
        return new ProcessSpec(command[0], arguments, env, workingDir,
            dirs.Log(pod.Metadata.NamespaceProperty, pod.Metadata.Name, container.Name), memory);
    }

    /// <summary>Each mount path and the host path it stands for (volumeMounts with subPath, and the termination message file).</summary>
    public static IReadOnlyDictionary<string, string> Mounts(V1Pod pod, V1Container container, IReadOnlyDictionary<string, string> volumes, PodDirectories dirs)
    {
        var mounts = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var mount in container.VolumeMounts ?? [])
        {
            if (!volumes.TryGetValue(mount.Name, out var folder))
                throw ContainerConfigError.Config($"volumeMount \"{mount.Name}\" names no volume of the pod");
            mounts[mount.MountPath.Length > 1 ? mount.MountPath.TrimEnd('/') : mount.MountPath] =
                string.IsNullOrEmpty(mount.SubPath) ? folder : Path.Combine(folder, mount.SubPath);
        }
        var messagePath = string.IsNullOrEmpty(container.TerminationMessagePath) ? DefaultTerminationMessagePath : container.TerminationMessagePath;
        mounts.TryAdd(messagePath, dirs.TerminationLog(pod.Metadata.Uid, container.Name));
        return mounts;
    }

    /// <summary>Threads for a CPU limit: rounded up, at least one (as .NET reads a container's CPU quota); none without a limit.</summary>
    public static int? Threads(V1Container container) =>
        container.Resources?.Limits?.TryGetValue("cpu", out var cpu) == true ? Math.Max(1, (int)Math.Ceiling(cpu.ToDecimal())) : null;
}
