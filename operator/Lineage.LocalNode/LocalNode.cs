using k8s;
using k8s.Models;
using Lineage.LocalNode.Jobs;
using Lineage.LocalNode.Containers;
using Lineage.LocalNode.Nodes;
using Lineage.LocalNode.Scheduling;
using Lineage.Operator.Runtime;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Lineage.LocalNode;

/// <summary>
/// A one-node cluster's worker side, as a Kubernetes client over HTTP: the Job controller (Jobs to pods), the
/// scheduler (pods to this node, when they fit) and the kubelet (pods to local processes), on the controller
/// runtime the operator uses. Start it against any API server:
/// <code>await using var node = await LocalNode.StartAsync(client, new LocalNodeOptions { DataDirectory = dir, Images = … });</code>
/// Disposing stops it and its containers; a node started again on the same data directory reports the pods
/// whose containers it lost as Failed.
/// </summary>
public sealed class LocalNode : IAsyncDisposable
{
    readonly CancellationTokenSource stop;
    readonly Kubelet kubelet;
    readonly DataDirectoryLock dataLock;
    readonly Task<HostExit> run;
    readonly Task registration;
    int disposed;

    LocalNode(string name, Kubelet kubelet, DataDirectoryLock dataLock, CancellationTokenSource stop, Task<HostExit> run, Task registration, ControllerHost host)
    {
        NodeName = name;
        this.stop = stop;
        this.kubelet = kubelet;
        this.dataLock = dataLock;
        this.run = run;
        this.registration = registration;
        Host = host;
    }

    public string NodeName { get; }

    /// <summary>Completes when the node's controllers stop (after <see cref="DisposeAsync"/>, or on a failure of the host).</summary>
    public Task Completion => run;

    /// <summary>The controller host (its metrics, health and controllers), for callers that report on it.</summary>
    public ControllerHost Host { get; }

    public static async Task<LocalNode> StartAsync(IKubernetes client, LocalNodeOptions options, ILoggerFactory? loggers = null, CancellationToken ct = default)
    {
        if (!OperatingSystem.IsLinux()) throw new PlatformNotSupportedException("the local node runs containers with setsid(1) and reads /proc: it needs Linux");
        options.Validate();
        loggers ??= NullLoggerFactory.Instance;
        var log = loggers.CreateLogger<LocalNode>();
        Directory.CreateDirectory(options.DataDirectory);
        Directory.CreateDirectory(options.EffectivePodLogDirectory);
        var dataLock = DataDirectoryLock.Acquire(options.DataDirectory);
        try
        {
            var dirs = new PodDirectories(options.DataDirectory, options.EffectivePodLogDirectory);
            var recovered = await NodeRecovery.RecoverAsync(dirs, options.ShutdownGrace, log, ct).ConfigureAwait(false);
            var allocatable = new ResourceList([
                new(ResourceList.Cpu, (long)Math.Floor(options.Cpus * 1000)),
                new(ResourceList.Memory, options.MemoryBytes),
                new(ResourceList.Pods, options.MaxPods),
                new(ResourceList.Gpu, options.Gpus),
            ]);
            var node = new NodeView(options.NodeName, NodeObject.Labels(options.NodeName, options.Labels), allocatable);

            var host = new ControllerHost(client, new ControllerHostOptions
            {
                Namespace = null,
                Workers = options.Workers,
                LeaderElection = new LeaderElectionOptions { Enabled = false },
            }, loggers: loggers);
            var jobs = host.InformerFor<V1Job>();
            var pods = host.InformerFor<V1Pod>();
            var events = new ResourceClient<Corev1Event>(client);

            var jobController = new JobController(jobs, pods, client,
                new EventRecorder(events, "job-controller", loggers.CreateLogger<EventRecorder>()),
                new JobControllerOptions { PodFailureBackoff = options.PodFailureBackoff, MaxPodFailureBackoff = options.MaxPodFailureBackoff },
                loggers.CreateLogger<JobController>());
            // Registered before the handler that queues a pod's Job, so the Job's sync sees its expectations met.
            pods.AddHandler(jobController.ObservePod);
            host.For(jobController, "job-controller").Owns<V1Pod>();
            var orphans = new OrphanPodFinalizers(jobs, pods, client, jobController.Expectations);
            host.For(orphans, "job-orphan-pods").Watches<V1Job>(orphans.PodsOf).WithWorkers(1);

            var settings = new KubeletSettings(options.NodeName, dirs, new ImageCommands(options.Images), options.Environment, allocatable,
                options.EnforceMemoryLimits, options.ShutdownGrace);
            var kubelet = new Kubelet(pods, client, settings,
                new EventRecorder(events, "kubelet", loggers.CreateLogger<EventRecorder>()), loggers.CreateLogger<Kubelet>());
            kubelet.Adopt(recovered);
            kubelet.Queue = host.For(kubelet, "kubelet").Queue;
            var scheduler = new Scheduler(pods, node, kubelet.Running, client,
                new EventRecorder(events, Scheduler.SchedulerName, loggers.CreateLogger<EventRecorder>()), loggers.CreateLogger<Scheduler>());
            var schedulerQueue = host.For(scheduler, "scheduler").WithWorkers(1).Queue;
            kubelet.ResourcesFreed = () => schedulerQueue.Add(new ObjectKey("", "resources-freed"));

            var stop = new CancellationTokenSource();
            var run = host.RunAsync(stop.Token);
            try
            {
                await Task.WhenAll(jobs.WhenSynced, pods.WhenSynced).WaitAsync(ct).ConfigureAwait(false);
            }
            catch
            {
                stop.Cancel();
                await run.ConfigureAwait(false);
                await kubelet.StopAsync().ConfigureAwait(false);
                throw;
            }
            kubelet.AfterSync();
            var registration = Task.Run(() => new NodeRegistration(client, node, options.NodeStatusInterval, loggers.CreateLogger<NodeRegistration>())
                .RunAsync(stop.Token), CancellationToken.None);
            log.LogInformation("local node {Node} is up: {Cpus} CPUs, {Memory} bytes, {Gpus} GPUs, data in {Data}, logs in {Logs}",
                options.NodeName, options.Cpus, options.MemoryBytes, options.Gpus, options.DataDirectory, options.EffectivePodLogDirectory);
            return new LocalNode(options.NodeName, kubelet, dataLock, stop, run, registration, host);
        }
        catch
        {
            dataLock.Dispose();
            throw;
        }
    }

    /// <summary>Stops the controllers, then every container (SIGTERM, SIGKILL after the shutdown grace).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0) return;
        stop.Cancel();
        await run.ConfigureAwait(false);
        await registration.ConfigureAwait(false);
        await kubelet.StopAsync().ConfigureAwait(false);
        dataLock.Dispose();
        stop.Dispose();
    }
}
