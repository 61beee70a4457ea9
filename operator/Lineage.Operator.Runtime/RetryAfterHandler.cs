using System.Net;

namespace Lineage.Operator.Runtime;

/// <summary>
/// Honours <c>Retry-After</c> in the operator's API client, as client-go's REST client does: an answer of 429 Too Many
/// Requests (kube-apiserver's max-in-flight limit and API priority and fairness send it), or a 5xx that carries the
/// header, is waited out for the time it names and the request sent again, up to <see cref="MaxRetries"/> times. So a
/// throttled write is not retried sooner than asked, however many watch events wake its reconcile meanwhile. Without
/// the header (a plain 500) the answer goes to the caller, whose reconcile backs off.
/// </summary>
public sealed class RetryAfterHandler : DelegatingHandler
{
    public const int MaxRetries = 5;

    /// <summary>The longest single wait honoured, so a bad header cannot park a request for hours.</summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromMinutes(1);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        // A body is sent again on a retry, so one that can be read only once must be buffered. The client's bodies are
        // byte arrays (StringContent is one too), which can be sent any number of times: copying them would be waste.
        if (request.Content is { } content and not ByteArrayContent) await content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
        for (var attempt = 0; ; attempt++)
        {
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (attempt == MaxRetries || WaitAsked(response) is not { } wait) return response;
            response.Dispose();
            await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The wait the answer asks for, if it is one to wait out: 429 or 5xx with Retry-After (seconds or a date).</summary>
    public static TimeSpan? WaitAsked(HttpResponseMessage response)
    {
        var code = (int)response.StatusCode;
        if (response.StatusCode != HttpStatusCode.TooManyRequests && code is < 500 or > 599) return null;
        if (response.Headers.RetryAfter is not { } retryAfter) return null;
        var wait = retryAfter.Delta ?? (retryAfter.Date is { } date ? date - DateTimeOffset.UtcNow : null);
        if (wait is not { } w) return null;
        return w < TimeSpan.Zero ? TimeSpan.Zero : w > MaxWait ? MaxWait : w;
    }
}
