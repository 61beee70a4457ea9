namespace Lineage.LocalNode.Containers;

/// <summary>
/// Where a pod lives on the node: <c>&lt;data&gt;/pods/&lt;uid&gt;/</c> holds its volumes, one folder per container
/// (home, tmp, work, termination-log) and the process record; logs go to
/// <c>&lt;logs&gt;/&lt;namespace&gt;/&lt;pod&gt;/&lt;container&gt;.log</c>, where the API server finds them for kubectl logs.
/// The pod's folder goes when the pod ends; its logs stay until the pod object is deleted.
/// </summary>
public sealed class PodDirectories(string dataDirectory, string logDirectory)
{
    public string PodsRoot => Path.Combine(dataDirectory, "pods");

    public string Root(string uid) => Path.Combine(PodsRoot, uid);

    public string Volume(string uid, string volume) => Path.Combine(Root(uid), "volumes", volume);

    public string Container(string uid, string container) => Path.Combine(Root(uid), "containers", container);

    public string Home(string uid, string container) => Path.Combine(Container(uid, container), "home");

    public string Tmp(string uid, string container) => Path.Combine(Container(uid, container), "tmp");

    public string Work(string uid, string container) => Path.Combine(Container(uid, container), "work");

    public string TerminationLog(string uid, string container) => Path.Combine(Container(uid, container), "termination-log");

    public string Record(string uid) => Path.Combine(Root(uid), "process.json");

    public string LogDirectory(string ns, string pod) => Path.Combine(logDirectory, ns, pod);

    public string Log(string ns, string pod, string container) => Path.Combine(LogDirectory(ns, pod), container + ".log");

    /// <summary>Removes a pod's folder (volumes, home, tmp, record): done when the pod has ended, as the kubelet tears down a terminated pod's volumes.</summary>
    public void RemovePod(string uid) => DeleteTree(Root(uid));

    /// <summary>Removes a pod's folder and its logs: done once the pod object is gone.</summary>
    public void Remove(string uid, string? ns, string? pod)
    {
        if (ns is not null && pod is not null) DeleteTree(LogDirectory(ns, pod));
        DeleteTree(Root(uid));
    }

    static void DeleteTree(string path)
    {
        if (!Directory.Exists(path)) return;
        // configMap and secret volumes are read-only: make them writable so they can be removed.
        foreach (var entry in Directory.EnumerateFileSystemEntries(path, "*", SearchOption.AllDirectories))
        {
            try { File.SetUnixFileMode(entry, Directory.Exists(entry) ? UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute : UnixFileMode.UserRead | UnixFileMode.UserWrite); }
            catch (IOException) { }
        }
        Directory.Delete(path, recursive: true);
    }
}
