using k8s;
using k8s.Models;
using Lineage.Operator.Decisions;

namespace Lineage.Operator.Controllers;

/// <summary>Where the controllers' Events go (the runtime's EventRecorder in the operator). Best effort: never throws.</summary>
public interface IEventSink
{
    Task RecordAsync(IKubernetesObject<V1ObjectMeta> subject, EventIntent intent, CancellationToken ct);
}
