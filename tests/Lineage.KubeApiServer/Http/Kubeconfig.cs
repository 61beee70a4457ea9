namespace Lineage.KubeApiServer.Http;

/// <summary>A kubeconfig with one cluster, one (anonymous) user and one context.</summary>
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
          user: {"{}"}
        contexts:
        - name: lineage-test
          context:
            cluster: lineage-test
            user: lineage-test
            namespace: default
        current-context: lineage-test

        """;
}
