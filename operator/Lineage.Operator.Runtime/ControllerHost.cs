using k8s;
using k8s.LeaderElection;
using k8s.LeaderElection.ResourceLock;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Prometheus;

namespace Lineage.Operator.Runtime;

/// <summary>
/// Runs controllers: one shared informer per kind, a work queue and workers per controller, and leader
/// election. Informers run (and queues fill) on every replica so a standby is warm; workers run only while
/// this replica leads. When leadership is lost, in-flight reconciles are cancelled, workers stop and
/// <see cref="RunAsync"/> returns <see cref="HostExit.LeadershipLost"/>: the process exits and restarts with clean
/// state rather than re-entering the election with stale queues (controller-runtime does the same).
/// </summary>
public sealed class ControllerHost
{
    readonly Dictionary<Type, IInformer> informers = [];
    readonly List<ControllerRegistration> registrations = [];
    readonly List<Controller> controllers = [];
    readonly ILoggerFactory loggers;
    readonly ILogger log;
    int started;

    public ControllerHost(IKubernetes client, ControllerHostOptions? options = null, RuntimeMetrics? metrics = null, ILoggerFactory? loggers = null)
    {
        Client = client;
        Options = options ?? new ControllerHostOptions();
        Options.Validate();
        Metrics = metrics ?? new RuntimeMetrics(Prometheus.Metrics.NewCustomRegistry());
        this.loggers = loggers ?? NullLoggerFactory.Instance;
        log = this.loggers.CreateLogger<ControllerHost>();
        Events = new EventRecorder(ClientFor<Corev1Event>(), "lineage-operator", this.loggers.CreateLogger<EventRecorder>());
    }

    public IKubernetes Client { get; }
    public ControllerHostOptions Options { get; }
    public RuntimeMetrics Metrics { get; }
    public HostHealth Health { get; } = new();
    public EventRecorder Events { get; }
    /// <summary>Objects this host's controllers created that its informers have not delivered yet.</summary>
    public CreationExpectations Expectations { get; } = new();
    public IReadOnlyList<Controller> Controllers => controllers;
    public IReadOnlyCollection<IInformer> Informers => informers.Values;

    public ResourceClient<TKind> ClientFor<TKind>() where TKind : class, IKubernetesObject<V1ObjectMeta> => new(Client, Options.FieldManager);

    /// <summary>The host's one informer for <typeparamref name="TKind"/>, created on first use (before <see cref="RunAsync"/>).</summary>
    public Informer<TKind> InformerFor<TKind>() where TKind : class, IKubernetesObject<V1ObjectMeta>
    {
        lock (informers)
        {
            if (informers.TryGetValue(typeof(TKind), out var existing)) return (Informer<TKind>)existing;
            if (Volatile.Read(ref started) != 0) throw new InvalidOperationException($"informer for {typeof(TKind).Name} requested after the host started");
            var informer = new Informer<TKind>(ClientFor<TKind>(), new InformerOptions
            {
                Namespace = Options.Namespace,
                ResyncPeriod = Options.ResyncPeriod,
                WatchTimeout = Options.WatchTimeout,
                Seed = Options.Seed + informers.Count,
            }, Metrics, loggers.CreateLogger($"Lineage.Operator.Informer.{KindInfo.Of<TKind>().Kind}"));
            informers[typeof(TKind)] = informer;
            var kind = KindInfo.Of<TKind>();
            informer.AddHandler(obj => Expectations.Observed(kind, obj.Key()));
            return informer;
        }
    }

    /// <summary>Declares a controller for <typeparamref name="TKind"/>; every change of such an object queues its key.</summary>
    public ControllerBuilder<TKind> For<TKind>(IReconciler<TKind> reconciler, string? name = null) where TKind : class, IKubernetesObject<V1ObjectMeta>
    {
        name ??= KindInfo.Of<TKind>().Kind.ToLowerInvariant();
        if (registrations.Any(r => r.Name == name)) throw new ArgumentException($"a controller named '{name}' is already registered", nameof(name));
        var queue = new WorkQueue(Options.Backoff, Options.Seed + registrations.Count, metrics: Metrics, name: name);
        var registration = new ControllerRegistration(name, queue, reconciler.ReconcileAsync, Options.Workers);
        registrations.Add(registration);
        InformerFor<TKind>().AddHandler((obj, previous) =>
        {
            if (registration.PrimaryFilter(obj, previous)) queue.Add(obj.Key());
        });
        return new ControllerBuilder<TKind>(this, registration);
    }

    /// <summary>Runs until <paramref name="ct"/> fires (SIGTERM) or leadership is lost.</summary>
    public async Task<HostExit> RunAsync(CancellationToken ct)
    {
        if (Interlocked.Exchange(ref started, 1) != 0) throw new InvalidOperationException("the host is already running");
        foreach (var r in registrations)
            controllers.Add(new Controller(r.Name, r.Queue, r.Reconcile, r.Workers, Metrics, loggers.CreateLogger($"Lineage.Operator.Controller.{r.Name}")));

        using var informing = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var informerRuns = informers.Values.Select(i => Task.Run(() => i.RunAsync(informing.Token), CancellationToken.None)).ToList();
        try
        {
            await Task.WhenAll(informers.Values.Select(i => i.WhenSynced)).WaitAsync(ct).ConfigureAwait(false);
            Health.Synced = true;
            log.LogInformation("informers synced: {Kinds}", string.Join(", ", informers.Values.Select(i => i.Kind.Kind)));
            return Options.LeaderElection.Enabled
                ? await RunElectedAsync(ct).ConfigureAwait(false)
                : await RunLeadingAsync(ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return HostExit.Stopped;
        }
        finally
        {
            Metrics.Leader.Set(0);
            if (Health.State != LeaderState.Lost) Health.State = LeaderState.Stopped;
            informing.Cancel();
            await Task.WhenAll(informerRuns).ConfigureAwait(false);
        }
    }

    async Task<HostExit> RunLeadingAsync(CancellationToken ct)
    {
        Health.State = LeaderState.Disabled;
        Metrics.Leader.Set(1);
        await RunWorkersAsync(ct, CancellationToken.None).ConfigureAwait(false);
        return HostExit.Stopped;
    }

    async Task<HostExit> RunElectedAsync(CancellationToken ct)
    {
        var o = Options.LeaderElection;
        var leaseLock = new LeaseLock(Client, o.LeaseNamespace, o.LeaseName, o.Identity);
        using var elector = new LeaderElector(new LeaderElectionConfig(leaseLock)
        {
            LeaseDuration = o.LeaseDuration,
            RenewDeadline = o.RenewDeadline,
            RetryPeriod = o.RetryPeriod,
        });
        using var lost = new CancellationTokenSource();
        var leading = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        elector.OnStartedLeading += () => leading.TrySetResult();
        // On SIGTERM the elector also reports "stopped leading"; that is a shutdown (with grace), not a loss.
        elector.OnStoppedLeading += () => { if (!ct.IsCancellationRequested) lost.Cancel(); };
        elector.OnNewLeader += leader => log.LogInformation("leader is now {Leader}", leader);
        elector.OnError += e => log.LogWarning("leader election: {Error}", e.Message);

        Health.State = LeaderState.Standby;
        log.LogInformation("{Identity} waiting for lease {Namespace}/{Lease}", o.Identity, o.LeaseNamespace, o.LeaseName);
        Task election;
        while (true)
        {
            election = elector.RunUntilLeadershipLostAsync(ct);
            await Task.WhenAny(leading.Task, election).ConfigureAwait(false);
            if (leading.Task.IsCompleted) break;
            try
            {
                await election.ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                log.LogWarning("leader election failed while standing by ({Error}); trying again", e.Message);
            }
            await Task.Delay(o.RetryPeriod, ct).ConfigureAwait(false);
        }

        Health.State = LeaderState.Leading;
        Metrics.Leader.Set(1);
        log.LogInformation("{Identity} is leading", o.Identity);
        await RunWorkersAsync(ct, lost.Token).ConfigureAwait(false);
        try { await election.ConfigureAwait(false); }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
        if (ct.IsCancellationRequested)
        {
            await ReleaseLeaseAsync(o).ConfigureAwait(false);
            return HostExit.Stopped;
        }

        Health.State = LeaderState.Lost;
        log.LogWarning("{Identity} lost the lease; reconciles stopped", o.Identity);
        return HostExit.LeadershipLost;
    }

    /// <summary>
    /// After a clean shutdown, hands the lease back (empty holder, 1 s duration) so a standby takes over at its
    /// next retry instead of after the lease duration. Best effort: on failure the lease simply expires.
    /// </summary>
    async Task ReleaseLeaseAsync(LeaderElectionOptions o)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            var lease = await Client.CoordinationV1.ReadNamespacedLeaseAsync(o.LeaseName, o.LeaseNamespace, cancellationToken: timeout.Token).ConfigureAwait(false);
            if (lease.Spec?.HolderIdentity != o.Identity) return;
            lease.Spec.HolderIdentity = "";
            lease.Spec.LeaseDurationSeconds = 1;
            lease.Spec.RenewTime = DateTime.UtcNow;
            await Client.CoordinationV1.ReplaceNamespacedLeaseAsync(lease, o.LeaseName, o.LeaseNamespace, cancellationToken: timeout.Token).ConfigureAwait(false);
            log.LogInformation("{Identity} released lease {Namespace}/{Lease}", o.Identity, o.LeaseNamespace, o.LeaseName);
        }
        catch (Exception e)
        {
            log.LogWarning("{Identity} could not release the lease ({Error}); it expires after {Duration}", o.Identity, e.Message, o.LeaseDuration);
        }
    }

    /// <summary>
    /// Runs every controller's workers. On <paramref name="stop"/> queues stop handing out keys and in-flight
    /// reconciles get the shutdown grace to finish; on <paramref name="lost"/> they are cancelled at once.
    /// </summary>
    async Task RunWorkersAsync(CancellationToken stop, CancellationToken lost)
    {
        using var abort = CancellationTokenSource.CreateLinkedTokenSource(lost);
        var running = Task.WhenAll(controllers.Select(c => c.RunAsync(abort.Token)));
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (stop.Register(() => stopped.TrySetResult()))
        using (lost.Register(() => stopped.TrySetResult()))
            await stopped.Task.ConfigureAwait(false);

        foreach (var c in controllers) c.Queue.ShutDown(drain: false);
        if (lost.IsCancellationRequested) abort.Cancel();
        else abort.CancelAfter(Options.ShutdownGrace);
        await running.ConfigureAwait(false);
    }
}
