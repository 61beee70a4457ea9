using System.Net;
using System.Net.Http.Headers;
using k8s;

namespace Lineage.Operator.Hosting;

/// <summary>The operator's API client: it names itself in every request's User-Agent (lineage-operator/VERSION), so the
/// server's audit log and any write without a fieldManager show the operator, not kubernetes-csharp. With an identity
/// (the replica's name in the leader lease) the User-Agent carries it as a comment, <c>lineage-operator/VERSION (replica)</c>,
/// so the audit log tells replicas apart, e.g. to show that a replica that lost the lease wrote nothing after. A 429's
/// Retry-After is waited out before the request is sent again (<see cref="Runtime.RetryAfterHandler"/>). A kubeconfig's
/// <c>tls-server-name</c> and its HTTP/2 choice hold for every request, watches included.</summary>
public static class OperatorClient
{
    public static readonly string Version =
        typeof(OperatorClient).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    public static Kubernetes Create(KubernetesClientConfiguration configuration, string? identity = null)
    {
        // Retry-After on 429s is honoured in the client, as client-go does (see RetryAfterHandler).
        var client = new Kubernetes(configuration, new Runtime.RetryAfterHandler());
        client.HttpClient.DefaultRequestHeaders.UserAgent.Clear();
        client.HttpClient.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue(OperatorOptions.FieldManager, Version));
        if (!string.IsNullOrWhiteSpace(identity))
            client.HttpClient.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue($"({identity.Replace('(', '[').Replace(')', ']')})"));
        // A kubeconfig's tls-server-name: KubernetesClient puts it in the Host header (and so the TLS server name) of the
        // requests it sends itself; the runtime's watches are sent on the same HttpClient but not through that code.
        if (!string.IsNullOrWhiteSpace(configuration.TlsServerName))
            client.HttpClient.DefaultRequestHeaders.Host = configuration.TlsServerName;
        // Likewise the HTTP version KubernetesClient asks for (HTTP/2 where TLS offers it, unless the configuration says not).
        client.HttpClient.DefaultRequestVersion = configuration.DisableHttp2 ? HttpVersion.Version11 : HttpVersion.Version20;
        return client;
    }
}
