using System.Net;
using k8s.Autorest;

namespace Lineage.Operator.Runtime;

/// <summary>Reads the HTTP status out of KubernetesClient's exceptions.</summary>
public static class ApiErrors
{
    public static HttpStatusCode? StatusOf(Exception e) => (e as HttpOperationException)?.Response?.StatusCode;

    public static bool IsNotFound(Exception e) => StatusOf(e) == HttpStatusCode.NotFound;

    public static bool IsConflict(Exception e) => StatusOf(e) == HttpStatusCode.Conflict;

    /// <summary>403 for a create in a namespace that is being deleted (cause NamespaceTerminating): retrying cannot succeed.</summary>
    public static bool IsNamespaceTerminating(Exception e) =>
        StatusOf(e) == HttpStatusCode.Forbidden && (e as HttpOperationException)?.Response?.Content is { } body
        && (body.Contains("NamespaceTerminating", StringComparison.Ordinal) || body.Contains("because it is being terminated", StringComparison.Ordinal));

    /// <summary>410 Gone: the resourceVersion asked for is older than the server's history.</summary>
    public static bool IsGone(Exception e) => e is WatchExpiredException || StatusOf(e) == HttpStatusCode.Gone;
}
