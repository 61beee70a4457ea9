using k8s;

namespace Lineage.Operator.Runtime;

/// <summary>
/// One watch event, decoded. <see cref="WatchEventType.Bookmark"/> carries only a resourceVersion;
/// <see cref="WatchEventType.Error"/> carries the server's status code (410 means the resourceVersion expired).
/// </summary>
public sealed record ResourceEvent<T>(WatchEventType Type, T? Object, string? ResourceVersion, int? ErrorCode = null, string? ErrorMessage = null);
