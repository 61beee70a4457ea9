using System.Diagnostics;
using k8s;
using k8s.Models;
using Lineage.EmbeddedApiServer;
using Lineage.LocalNode.Tests.ApiRules;
using Lineage.Operator.Runtime;

namespace Lineage.LocalNode.Tests.Integration;

/// <summary>
/// The project's API server on 127.0.0.1 and a local node running against it over real HTTP, with a data
/// directory of its own. Images: <c>shell</c> runs <c>/bin/sh -c &lt;args&gt;</c>.
/// </summary>
public sealed class LocalCluster : IAsyncDisposable
{
    public const string Ns = "default";
    public const string Shell = "shell";
    readonly DirectoryInfo root = Directory.CreateTempSubdirectory("localnode-");

    LocalCluster(EmbeddedApiServer.EmbeddedApiServer server)
    {
        Server = server;
        Client = new Kubernetes(server.ClientConfiguration());
        Jobs = new ResourceClient<V1Job>(Client);
        Pods = new ResourceClient<V1Pod>(Client);
        Events = new ResourceClient<Corev1Event>(Client);
        Marks = Directory.CreateDirectory(Path.Combine(root.FullName, "marks")).FullName;
        Audit = new StatusAudit(Client);
    }

    /// <summary>Every Job and Pod status stored, held to the rules of a real v1.36 API server; checked when the cluster is disposed.</summary>
    public StatusAudit Audit { get; }

    public EmbeddedApiServer.EmbeddedApiServer Server { get; }
    public Kubernetes Client { get; }
    public ResourceClient<V1Job> Jobs { get; }
    public ResourceClient<V1Pod> Pods { get; }
    public ResourceClient<Corev1Event> Events { get; }
    public LocalNode? Node { get; private set; }
    public LocalNodeOptions Options { get; private set; } = null!;
    public string DataDirectory => Path.Combine(root.FullName, "data");
    public string LogDirectory => Path.Combine(root.FullName, "logs");
    /// <summary>A folder outside any pod where scripts leave marks (pids, timestamps) for the test to read.</summary>
    public string Marks { get; }

    public static async Task<LocalCluster> StartAsync(Func<LocalNodeOptions, LocalNodeOptions>? configure = null)
    {
        var cluster = new LocalCluster(await EmbeddedApiServer.EmbeddedApiServer.StartAsync());
        cluster.Options = (configure ?? (o => o))(NodeOptions(cluster.DataDirectory, cluster.LogDirectory));
        await cluster.StartNodeAsync();
        return cluster;
    }

    /// <summary>The tests' node: 2 CPUs, 4 GiB, the shell image, short failure backoff and shutdown grace.</summary>
    public static LocalNodeOptions NodeOptions(string data, string logs) => new()
    {
        NodeName = "local",
        DataDirectory = data,
        PodLogDirectory = logs,
        Cpus = 2,
        MemoryBytes = 4L << 30,
        Images = new Dictionary<string, IReadOnlyList<string>> { [Shell] = ["/bin/sh", "-c"] },
        PodFailureBackoff = TimeSpan.FromMilliseconds(200),
        MaxPodFailureBackoff = TimeSpan.FromSeconds(1),
        ShutdownGrace = TimeSpan.FromSeconds(3),
    };

    /// <summary>
    /// Runs the node in a child process instead (this assembly's <see cref="NodeHostProgram"/>), so a test can
    /// SIGKILL it. Returns once it serves.
    /// </summary>
    public async Task<System.Diagnostics.Process> StartNodeProcessAsync()
    {
        if (Node is not null) throw new InvalidOperationException("an in-process node runs already");
        var info = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in (string[])[typeof(NodeHostProgram).Assembly.Location, "node-host", Server.Url.ToString().TrimEnd('/'), DataDirectory, LogDirectory])
            info.ArgumentList.Add(a);
        var process = System.Diagnostics.Process.Start(info)!;
        var line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
        if (line != "ready") Assert.Fail($"the node process did not start: {line} {await process.StandardError.ReadToEndAsync()}");
        return process;
    }

    public async Task StartNodeAsync() => Node = await LocalNode.StartAsync(new Kubernetes(Server.ClientConfiguration()), Options);

    public async Task StopNodeAsync()
    {
        if (Node is not null) await Node.DisposeAsync();
        Node = null;
    }

    /// <summary>A Job whose one pod runs <paramref name="script"/> in the shell image.</summary>
    public static V1Job ShellJob(string name, string script, int backoffLimit = 0, Action<V1Container>? container = null, Action<V1Job>? job = null)
    {
        var main = new V1Container
        {
            Name = "main",
            Image = Shell,
            Args = [script],
            TerminationMessagePolicy = "FallbackToLogsOnError",
        };
        container?.Invoke(main);
        var result = new V1Job
        {
            ApiVersion = "batch/v1",
            Kind = "Job",
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = Ns },
            Spec = new V1JobSpec
            {
                BackoffLimit = backoffLimit,
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = name } },
                    Spec = new V1PodSpec { RestartPolicy = "Never", TerminationGracePeriodSeconds = 2, Containers = [main] },
                },
            },
        };
        job?.Invoke(result);
        return result;
    }

    public Task<V1Job> CreateAsync(V1Job job) => Jobs.CreateAsync(job, CancellationToken.None);

    public async Task<V1Job> JobAsync(string name) => (await Jobs.GetAsync(new ObjectKey(Ns, name), CancellationToken.None))!;

    public async Task<IReadOnlyList<V1Pod>> PodsOfAsync(string job) =>
        (await Pods.ListAsync(Ns, $"job-name={job}", CancellationToken.None)).OrderBy(p => p.Metadata.CreationTimestamp).ThenBy(p => p.Metadata.Name).ToList();

    public async Task<IReadOnlyList<Corev1Event>> EventsOfAsync(string name) =>
        (await Events.ListAsync(Ns, null, CancellationToken.None)).Where(e => e.InvolvedObject?.Name == name).ToList();

    /// <summary>Polls until <paramref name="read"/> gives a value that satisfies <paramref name="done"/>; fails with the last value after the timeout.</summary>
    public static async Task<T> WaitForAsync<T>(Func<Task<T>> read, Func<T, bool> done, string what, int seconds = 30)
    {
        var watch = Stopwatch.StartNew();
        T last;
        while (true)
        {
            last = await read();
            if (done(last)) return last;
            if (watch.Elapsed > TimeSpan.FromSeconds(seconds))
                Assert.Fail($"timed out after {seconds} s waiting for {what}; last: {KubernetesJson.Serialize(last)}");
            await Task.Delay(50);
        }
    }

    public Task<V1Job> WaitForJobAsync(string name, Func<V1Job, bool> done, string what, int seconds = 30) =>
        WaitForAsync(() => JobAsync(name), done, $"job {name}: {what}", seconds);

    public static bool HasCondition(V1Job job, string type, string status = "True") =>
        job.Status?.Conditions?.Any(c => c.Type == type && c.Status == status) == true;

    public static V1JobCondition? Condition(V1Job job, string type) => job.Status?.Conditions?.FirstOrDefault(c => c.Type == type);

    public string LogOf(V1Pod pod, string container = "main") => File.ReadAllText(Path.Combine(LogDirectory, Ns, pod.Metadata.Name, container + ".log"));

    /// <summary>Whether a process with this pid exists (and is not a zombie).</summary>
    public static bool IsRunning(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..][0] != 'Z';
        }
        catch (IOException) { return false; }
    }

    public string Mark(string name) => Path.Combine(Marks, name);

    /// <summary>Waits until a script has written <paramref name="count"/> pids (one line, space-separated) to a mark, and reads them.</summary>
    public async Task<IReadOnlyList<int>> PidsAsync(string mark, int count = 1)
    {
        var path = Mark(mark);
        var text = await WaitForAsync(() => Task.FromResult(File.Exists(path) ? File.ReadAllText(path) : ""),
            t => t.EndsWith('\n') && t.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length == count, $"{count} pid(s) in {mark}");
        return text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToList();
    }

    public async ValueTask DisposeAsync()
    {
        List<string> findings;
        try
        {
            await StopNodeAsync();
        }
        finally
        {
            await Audit.DisposeAsync();
            findings = Audit.Findings.ToList();
            Client.Dispose();
            await Server.DisposeAsync();
            try { root.Delete(recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
        Assert.True(findings.Count == 0, "writes a real API server would refuse:\n" + string.Join("\n", findings));
    }
}
