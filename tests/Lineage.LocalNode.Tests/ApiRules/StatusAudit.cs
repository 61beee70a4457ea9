using System.Collections.Concurrent;
using k8s;
using k8s.Models;
using Lineage.Operator.Runtime;

namespace Lineage.LocalNode.Tests.ApiRules;

/// <summary>
/// Watches every Job and Pod the API server stores and checks each new version against the one before it with
/// <see cref="JobStatusRules"/> and <see cref="PodStatusRules"/>: a write a real v1.36 server would refuse is a
/// finding.
/// </summary>
public sealed class StatusAudit : IAsyncDisposable
{
    readonly CancellationTokenSource stop = new();
    readonly ConcurrentQueue<string> findings = new();
    readonly ConcurrentQueue<string> versions = new();
    readonly Task jobs;
    readonly Task pods;

    public StatusAudit(IKubernetes client)
    {
        jobs = Run(new Informer<V1Job>(new ResourceClient<V1Job>(client), new InformerOptions { ResyncPeriod = TimeSpan.Zero }), JobStatusRules.Violations, j => j.Status);
        pods = Run(new Informer<V1Pod>(new ResourceClient<V1Pod>(client), new InformerOptions { ResyncPeriod = TimeSpan.Zero }), PodStatusRules.Violations, p => p.Status);
    }

    public IReadOnlyCollection<string> Findings => findings;

    /// <summary>Every version seen, as "Kind key resourceVersion: status" (for failure messages).</summary>
    public IReadOnlyCollection<string> Versions => versions;

    Task Run<T>(Informer<T> informer, Func<T?, T, IReadOnlyList<string>> rules, Func<T, object?> status) where T : class, IKubernetesObject<V1ObjectMeta>
    {
        informer.AddHandler((obj, previous) =>
        {
            if (informer.Get(obj.Key()) is null) return;
            versions.Enqueue($"{typeof(T).Name} {obj.Key()} {obj.Metadata.ResourceVersion}: {KubernetesJson.Serialize(status(obj))}");
            foreach (var finding in rules(previous, obj))
                findings.Enqueue($"{typeof(T).Name} {obj.Key()} (resourceVersion {obj.Metadata.ResourceVersion}): {finding}");
        });
        return informer.RunAsync(stop.Token);
    }

    public async ValueTask DisposeAsync()
    {
        stop.Cancel();
        await Task.WhenAll(jobs, pods);
        stop.Dispose();
    }
}
