namespace Lineage.EmbeddedApiServer.Http;

/// <summary>
/// A kubeconfig with one cluster, one user and one context. The server checks no credentials, but
/// KubernetesClient refuses a user without any, so the user carries a placeholder token.
/// </summary>
internal static class Kubeconfig
{
    public static string Render(Uri server) => $"""
        apiVersion: v1
        kind: Config
        clusters:
        - name: lineage-local
          cluster:
            server: {server.ToString().TrimEnd('/')}
        users:
        - name: lineage-local
          user:
            token: lineage-local
        contexts:
        - name: lineage-local
          context:
            cluster: lineage-local
            user: lineage-local
            namespace: default
        current-context: lineage-local

        """;
}
