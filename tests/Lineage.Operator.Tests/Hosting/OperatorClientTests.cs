using k8s;
using k8s.Models;
using Lineage.Operator.Hosting;

namespace Lineage.Operator.Tests.Hosting;

public sealed class OperatorClientTests
{
    [Fact]
    public async Task The_operators_requests_name_it_in_the_user_agent_and_so_as_field_manager()
    {
        await using var server = await EmbeddedApiServer.EmbeddedApiServer.StartAsync();
        using var client = OperatorClient.Create(server.ClientConfiguration());
        var created = await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "c" }, Data = new Dictionary<string, string> { ["a"] = "b" } }, "default");
        Assert.Equal("lineage-operator", Assert.Single(created.Metadata.ManagedFields).Manager);

        using var plain = new Kubernetes(server.ClientConfiguration());
        var other = await plain.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "d" } }, "default");
        Assert.DoesNotContain(other.Metadata.ManagedFields ?? [], f => f.Manager == "lineage-operator");
    }

    [Fact]
    public async Task A_watch_names_the_kubeconfigs_tls_server_name_as_its_host_like_every_other_request()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        var config = new KubernetesClientConfiguration { Host = $"http://127.0.0.1:{port}", TlsServerName = "api.cluster.internal" };
        using var client = OperatorClient.Create(config);
        var widgets = new Lineage.Operator.Runtime.ResourceClient<Tests.Runtime.Widget>(client);

        // The server answers the watch with one ADDED event and ends it; the test keeps the request's head.
        var served = Task.Run(async () =>
        {
            using var socket = await listener.AcceptSocketAsync();
            var head = new byte[8192];
            var read = await socket.ReceiveAsync(head);
            var body = """{"type":"ADDED","object":{"apiVersion":"test.lineage.dev/v1","kind":"Widget","metadata":{"name":"w","namespace":"team","resourceVersion":"2"}}}""" + "\n";
            await socket.SendAsync(System.Text.Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n{body}"));
            socket.Shutdown(System.Net.Sockets.SocketShutdown.Both);
            return System.Text.Encoding.ASCII.GetString(head, 0, read);
        });
        var names = new List<string>();
        await foreach (var e in widgets.WatchAsync("team", "1", TimeSpan.FromSeconds(5), default)) names.Add(e.Object!.Metadata.Name);

        var request = await served.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(["w"], names);
        Assert.StartsWith("GET /apis/test.lineage.dev/v1/namespaces/team/widgets?", request);
        Assert.Contains("\r\nHost: api.cluster.internal\r\n", request);
        Assert.Contains("lineage-operator/", request);
        Assert.Equal(System.Net.HttpVersion.Version20, client.HttpClient.DefaultRequestVersion); // asked as KubernetesClient asks; plain http falls back to 1.1
        Assert.Equal(System.Net.HttpVersion.Version11, OperatorClient.Create(new KubernetesClientConfiguration { Host = config.Host, DisableHttp2 = true }).HttpClient.DefaultRequestVersion);
    }
}
