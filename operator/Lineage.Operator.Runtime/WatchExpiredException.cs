namespace Lineage.Operator.Runtime;

/// <summary>The server ended a watch with 410 Gone: the resourceVersion is older than its history.</summary>
public sealed class WatchExpiredException(string? message) : Exception(message ?? "resourceVersion expired (410 Gone)");
