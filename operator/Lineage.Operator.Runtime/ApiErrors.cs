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

    /// <summary>
    /// The wait a 429 (or 503) answer asks for in its <c>Retry-After</c> header (whole seconds, as kube-apiserver sends),
    /// at most <see cref="MaxRetryAfter"/>; null when there is none.
    /// </summary>
    public static TimeSpan? RetryAfter(Exception e)
    {
        if ((e as HttpOperationException)?.Response is not { } response) return null;
        if (response.StatusCode is not (HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable)) return null;
        var value = response.Headers?.FirstOrDefault(h => string.Equals(h.Key, "Retry-After", StringComparison.OrdinalIgnoreCase)).Value?.FirstOrDefault();
        if (!int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds)) return null;
        var wait = TimeSpan.FromSeconds(seconds);
        return wait > MaxRetryAfter ? MaxRetryAfter : wait;
    }

    /// <summary>The longest Retry-After honoured, so a bad header cannot park a key for hours.</summary>
    public static readonly TimeSpan MaxRetryAfter = TimeSpan.FromMinutes(1);
}
