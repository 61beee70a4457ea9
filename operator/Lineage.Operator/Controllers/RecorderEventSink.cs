using k8s;
using k8s.Models;
using Lineage.Operator.Decisions;
using Lineage.Operator.Runtime;

namespace Lineage.Operator.Controllers;

/// <summary>Sends the controllers' Events to the runtime's EventRecorder (deduplicated core/v1 Events).</summary>
public sealed class RecorderEventSink(EventRecorder recorder) : IEventSink
{
    public Task RecordAsync(IKubernetesObject<V1ObjectMeta> subject, EventIntent intent, CancellationToken ct) =>
        recorder.RecordAsync(subject, intent.Type == EventIntent.Warning ? EventType.Warning : EventType.Normal, intent.Reason, intent.Message, ct);
}
