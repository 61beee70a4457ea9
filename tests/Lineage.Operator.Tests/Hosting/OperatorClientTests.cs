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
}
