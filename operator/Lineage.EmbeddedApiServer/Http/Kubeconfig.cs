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
        - name: lineage-test
          cluster:
            server: {server.ToString().TrimEnd('/')}
        users:
        - name: lineage-test
          user:
            token: lineage-test
        contexts:
        - name: lineage-test
          context:
            cluster: lineage-test
            user: lineage-test
            namespace: default
        current-context: lineage-test

        """;
}
