using System.Net;
using k8s.Autorest;

namespace Lineage.Operator.Runtime;

/// <summary>Reads the HTTP status out of KubernetesClient's exceptions.</summary>
public static class ApiErrors
{
    public static HttpStatusCode? StatusOf(Exception e) => (e as HttpOperationException)?.Response?.StatusCode;

    public static bool IsNotFound(Exception e) => StatusOf(e) == HttpStatusCode.NotFound;

    public static bool IsConflict(Exception e) => StatusOf(e) == HttpStatusCode.Conflict;

    /// <summary>
    /// 409 with reason AlreadyExists: a create found the object there. Not every 409 on a create is that (a server may
    /// answer 409 Conflict for other reasons), and only this one means the object exists.
    /// </summary>
    public static bool IsAlreadyExists(Exception e) => IsConflict(e) && ReasonOf(e) == "AlreadyExists";

    /// <summary>The <c>reason</c> of the Status a failed request answered with, or null.</summary>
    public static string? ReasonOf(Exception e)
    {
        if ((e as HttpOperationException)?.Response?.Content is not { Length: > 0 } body) return null;
        try
        {
            using var status = System.Text.Json.JsonDocument.Parse(body);
            return status.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object && status.RootElement.TryGetProperty("reason", out var reason)
                && reason.ValueKind == System.Text.Json.JsonValueKind.String ? reason.GetString() : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    /// <summary>403 for a create in a namespace that is being deleted (cause NamespaceTerminating): retrying cannot succeed.</summary>
    public static bool IsNamespaceTerminating(Exception e) =>
        StatusOf(e) == HttpStatusCode.Forbidden && (e as HttpOperationException)?.Response?.Content is { } body
        && (body.Contains("NamespaceTerminating", StringComparison.Ordinal) || body.Contains("because it is being terminated", StringComparison.Ordinal));

    /// <summary>410 Gone: the resourceVersion asked for is older than the server's history.</summary>
    public static bool IsGone(Exception e) => e is WatchExpiredException || StatusOf(e) == HttpStatusCode.Gone;
}
