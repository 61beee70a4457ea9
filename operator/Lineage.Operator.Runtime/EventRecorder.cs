using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Lineage.Operator.Runtime;

/// <summary>
/// Records core/v1 Events about objects (what <c>kubectl describe</c> shows). The same event repeated for the
/// same object bumps <c>count</c> and <c>lastTimestamp</c> of the existing Event instead of creating another.
/// A message longer than <see cref="MaxMessageBytes"/> is cut to it, ending in " ...".
/// Best effort: a failure to record is logged, never thrown into a reconcile.
/// </summary>
public sealed class EventRecorder(IResourceClient<Corev1Event> events, string component, ILogger? logger = null, TimeProvider? time = null)
{
    /// <summary>
    /// The longest Event message recorded, in UTF-8 bytes: Kubernetes' limit on an Event's note (NoteLengthLimit in
    /// pkg/apis/core/validation/events.go), to which kube-scheduler also cuts its messages.
    /// </summary>
    public const int MaxMessageBytes = 1024;

    const int MaxRemembered = 4096;
    readonly ILogger log = logger ?? NullLogger.Instance;
    readonly TimeProvider clock = time ?? TimeProvider.System;
    readonly Dictionary<(string Uid, string Type, string Reason, string Message), ObjectKey> recent = [];
    readonly Lock gate = new();

    public async Task RecordAsync(IKubernetesObject<V1ObjectMeta> subject, EventType type, string reason, string message, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        message = Bounded(message);
        var dedup = (subject.Metadata.Uid ?? subject.Key().ToString(), type.ToString(), reason, message);
        try
        {
            ObjectKey? existing;
            lock (gate) existing = recent.TryGetValue(dedup, out var k) ? k : null;
            if (existing is { } key && await events.GetAsync(key, ct).ConfigureAwait(false) is { } previous)
            {
                previous.Count = (previous.Count ?? 1) + 1;
                previous.LastTimestamp = now;
                await events.ReplaceAsync(previous, ct).ConfigureAwait(false);
                return;
            }
            var created = await events.CreateAsync(NewEvent(subject, type, reason, message, now), ct).ConfigureAwait(false);
            lock (gate)
            {
                if (recent.Count >= MaxRemembered) recent.Clear();
                recent[dedup] = created.Key();
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            log.LogWarning("could not record event {Reason} on {Key}: {Error}", reason, subject.Key(), e.Message);
        }
    }

    /// <summary>The message, or its longest prefix that fits <see cref="MaxMessageBytes"/> with " ..." after it (never splitting a character).</summary>
    public static string Bounded(string message)
    {
        if (System.Text.Encoding.UTF8.GetByteCount(message) <= MaxMessageBytes) return message;
        const string more = " ...";
        int budget = MaxMessageBytes - more.Length, cut = 0;
        while (cut < message.Length)
        {
            var width = char.IsSurrogatePair(message, cut) ? 2 : 1;
            var size = System.Text.Encoding.UTF8.GetByteCount(message.AsSpan(cut, width));
            if (size > budget) break;
            budget -= size;
            cut += width;
        }
        return message[..cut] + more;
    }

    Corev1Event NewEvent(IKubernetesObject<V1ObjectMeta> subject, EventType type, string reason, string message, DateTime now) => new()
    {
        ApiVersion = "v1",
        Kind = "Event",
        Metadata = new V1ObjectMeta
        {
            Name = $"{subject.Metadata.Name}.{now.Ticks:x}{Random.Shared.Next(0x1000):x3}",
            // Events about cluster-scoped objects live in "default", as kubectl and client-go put them.
            NamespaceProperty = string.IsNullOrEmpty(subject.Metadata.NamespaceProperty) ? "default" : subject.Metadata.NamespaceProperty,
        },
        InvolvedObject = new V1ObjectReference
        {
            ApiVersion = subject.ApiVersion,
            Kind = subject.Kind,
            Name = subject.Metadata.Name,
            NamespaceProperty = subject.Metadata.NamespaceProperty,
            Uid = subject.Metadata.Uid,
            ResourceVersion = subject.Metadata.ResourceVersion,
        },
        Type = type.ToString(),
        Reason = reason,
        Message = message,
        Count = 1,
        FirstTimestamp = now,
        LastTimestamp = now,
        Source = new V1EventSource { Component = component },
        ReportingComponent = component,
    };
}
