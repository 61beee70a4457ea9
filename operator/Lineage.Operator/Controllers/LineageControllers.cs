using k8s.Models;
using Lineage.Operator.Api.V1Alpha1;
using Lineage.Operator.Decisions;
using Lineage.Operator.Observability;
using Lineage.Operator.Runtime;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Prometheus;

namespace Lineage.Operator.Controllers;

/// <summary>
/// Declares the three controllers on the host and what wakes each up: its own kind, the children it owns,
/// and for Generations the parent (a parent's promotion starts its children without waiting for a poll).
/// </summary>
public static class LineageControllers
{
    /// <summary>Registers the controllers; returns the two run controllers (tests read what they still hold).</summary>
    public static RegisteredControllers Register(ControllerHost host, CollectorRegistry registry, TimeProvider? clock = null, ILoggerFactory? loggers = null,
        StorageSpec? defaultStorage = null, TenantPolicy? policy = null)
    {
        clock ??= TimeProvider.System;
        loggers ??= NullLoggerFactory.Instance;
        var cluster = new Cluster(host.ClientFor<LineageResource>(), host.ClientFor<Generation>(), host.ClientFor<GrpoRun>(), host.ClientFor<Distillation>(), host.ClientFor<V1Job>(),
            host.ClientFor<V1Pod>(), host.ClientFor<V1Secret>());
        // Tests that play the cluster with a folder as store pass no policy; the operator's own registration always does.
        var stores = new StoreAccess(cluster.Secrets, policy ?? TenantPolicy.Unrestricted);
        var events = new RecorderEventSink(host.Events);
        var metrics = new DomainMetrics(registry);
        var cache = ClusterCache.Of(host);
        host.InformerFor<V1Job>().Slim(CachedJob.Slim);
        var shared = new SharedSpecs();
        host.InformerFor<Generation>().Slim(shared.Generation);
        host.InformerFor<GrpoRun>().Slim(shared.GrpoRun);
        host.InformerFor<Distillation>().Slim(shared.Distillation);

        // A Lineage's status is written only by its own reconcile, which breeds and records in one pass: its own writes need no
        // echo, and read-your-own-writes covers a child's event that wakes it before the echo arrives.
        var lineages = new LineageController(cluster, cache, events, metrics, clock, defaultStorage, loggers.CreateLogger<LineageController>());
        host.InformerFor<LineageResource>().AddHandler(lineages.Observed);
        host.For(lineages)
            .IgnoreStatusOnlyChanges()
            .Owns<Generation>();

        // A Generation's status is written only by its own reconcile, which decides from the cache and its children's
        // events: the echo of its own write would decide the same again (a paced write requeues itself).
        host.For(new GenerationController(cluster, cache, stores, new GenerationFinalizer(cluster, stores, events), events, metrics, clock,
                loggers.CreateLogger<GenerationController>()))
            .IgnoreStatusOnlyChanges()
            .Owns<GrpoRun>()
            .Owns<Distillation>()
            .Owns<V1Job>()
            .Watches<Generation>(parent => cache.ChildrenOf(parent).Select(g => g.Key()));

        // A run's status is written only by its own reconcile (read-your-own-writes covers a Job event that comes before the echo).
        var grpoRuns = new TrainingRunController<GrpoRun>(GrpoRunKind.Instance, cluster, cache, stores, events, metrics, clock, loggers.CreateLogger("Lineage.Operator.GrpoRunController"));
        host.InformerFor<GrpoRun>().AddHandler(grpoRuns.Observed);
        host.For(grpoRuns)
            .IgnoreStatusOnlyChanges()
            .Owns<V1Job>()
            .Watches<Generation>(g => cache.GrpoRunsUsing(g).Select(r => r.Key()));

        var distillations = new TrainingRunController<Distillation>(DistillationKind.Instance, cluster, cache, stores, events, metrics, clock, loggers.CreateLogger("Lineage.Operator.DistillationController"));
        host.InformerFor<Distillation>().AddHandler(distillations.Observed);
        host.For(distillations)
            .IgnoreStatusOnlyChanges()
            .Owns<V1Job>()
            .Watches<Generation>(g => cache.DistillationsUsing(g).Select(r => r.Key()));
        return new RegisteredControllers(lineages, grpoRuns, distillations);
    }
}

/// <summary>The run controllers <see cref="LineageControllers.Register"/> put on a host.</summary>
public sealed record RegisteredControllers(LineageController Lineages, TrainingRunController<GrpoRun> GrpoRuns, TrainingRunController<Distillation> Distillations);
