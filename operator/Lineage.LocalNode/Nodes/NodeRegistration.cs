using k8s;
using k8s.Models;
using Lineage.LocalNode.Scheduling;
using Lineage.Operator.Runtime;
using Microsoft.Extensions.Logging;

namespace Lineage.LocalNode.Nodes;

/// <summary>
/// Registers the node's Node object and refreshes its status (the Ready heartbeat) every few minutes, as the
/// kubelet's node status reports do. An API server that does not serve <c>nodes</c> (404) is told once in the log;
/// the node runs pods all the same.
/// </summary>
internal sealed class NodeRegistration(IKubernetes client, NodeView node, TimeSpan interval, ILogger log)
{
    DateTime? readySince;

    public async Task RunAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(interval);
        do
        {
            try
            {
                if (!await ReportAsync(ct).ConfigureAwait(false)) return;
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                log.LogWarning("could not report node {Node}: {Error}", node.Name, e.Message);
            }
        }
        while (await Wait(timer, ct).ConfigureAwait(false));
    }

    static async Task<bool> Wait(PeriodicTimer timer, CancellationToken ct)
    {
        try { return await timer.WaitForNextTickAsync(ct).ConfigureAwait(false); }
        catch (OperationCanceledException) { return false; }
    }

    /// <summary>Creates or updates the Node; false when the server does not serve nodes.</summary>
    async Task<bool> ReportAsync(CancellationToken ct)
    {
        var now = DateTime.UtcNow;
        now = new DateTime(now.Ticks - now.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc);
        readySince ??= now;
        var desired = NodeObject.Build(node, now, readySince);
        V1Node current;
        try
        {
            current = await client.CoreV1.ReadNodeAsync(node.Name, cancellationToken: ct).ConfigureAwait(false);
        }
        catch (Exception e) when (ApiErrors.IsNotFound(e))
        {
            try
            {
                current = await client.CoreV1.CreateNodeAsync(desired, cancellationToken: ct).ConfigureAwait(false);
            }
            catch (Exception create) when (ApiErrors.IsNotFound(create))
            {
                log.LogInformation("the API server does not serve nodes: node {Node} is not registered as a Node object", node.Name);
                return false;
            }
            log.LogInformation("registered node {Node}", node.Name);
        }
        current.Status = desired.Status;
        await client.CoreV1.ReplaceNodeStatusAsync(current, node.Name, cancellationToken: ct).ConfigureAwait(false);
        return true;
    }
}
