using Prometheus;

namespace Lineage.Operator.Runtime;

/// <summary>
/// The runtime's own metrics, created on one registry (a host's, so tests can run several hosts in one process).
/// Names follow Prometheus conventions: counters end in <c>_total</c>, durations are histograms in seconds.
/// </summary>
public sealed class RuntimeMetrics
{
    public const string Prefix = "lineage_operator_";

    public RuntimeMetrics(CollectorRegistry registry)
    {
        Registry = registry;
        var f = Metrics.WithCustomRegistry(registry);
        var latency = new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.001, 2, 16) };
        ReconcileTotal = f.CreateCounter(Prefix + "reconcile_total", "Reconciles finished, by controller and result (success, requeue, not_found, namespace_terminating, error).", ["controller", "result"]);
        ReconcileErrors = f.CreateCounter(Prefix + "reconcile_errors_total", "Reconciles that threw and were retried with backoff.", ["controller"]);
        ReconcileDuration = f.CreateHistogram(Prefix + "reconcile_duration_seconds", "Time spent in one reconcile.", ["controller"], latency);
        QueueDepth = f.CreateGauge(Prefix + "workqueue_depth", "Keys waiting in the work queue (not counting delayed retries).", ["controller"]);
        QueueWait = f.CreateHistogram(Prefix + "workqueue_wait_seconds", "Time a key waited in the queue before a worker took it.", ["controller"], latency);
        WatchRestarts = f.CreateCounter(Prefix + "watch_restarts_total", "Watches re-established after the stream ended, broke or expired.", ["kind"]);
        Relists = f.CreateCounter(Prefix + "relists_total", "Full lists after a watch's resourceVersion expired (410 Gone).", ["kind"]);
        Leader = f.CreateGauge(Prefix + "leader", "1 while this replica holds the leader lease (or leader election is off), else 0.");
    }

    public CollectorRegistry Registry { get; }
    public Counter ReconcileTotal { get; }
    public Counter ReconcileErrors { get; }
    public Histogram ReconcileDuration { get; }
    public Gauge QueueDepth { get; }
    public Histogram QueueWait { get; }
    public Counter WatchRestarts { get; }
    public Counter Relists { get; }
    public Gauge Leader { get; }
}
