using k8s;
using k8s.Models;

namespace Lineage.EmbeddedApiServer.Tests;

/// <summary>Namespace deletion as in a cluster: Terminating while content remains, no new content, gone when empty.</summary>
public sealed class NamespaceTests : ServerTest
{
    private async Task<V1ConfigMap> CreateHeldConfigMapAsync()
    {
        await Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "team" } });
        return await Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap
        {
            Metadata = new V1ObjectMeta { Name = "held", Finalizers = ["lineage.dev/cleanup"] },
        }, "team");
    }

    [Fact]
    public async Task A_deleted_namespace_is_terminating_until_its_content_is_gone()
    {
        await CreateHeldConfigMapAsync();
        await Client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = "plain" } }, "team");

        await Client.CoreV1.DeleteNamespaceAsync("team");

        var terminating = await Client.CoreV1.ReadNamespaceAsync("team");
        Assert.Equal("Terminating", terminating.Status.Phase);
        Assert.NotNull(terminating.Metadata.DeletionTimestamp);
        Assert.Equal(404, await StatusCodeOf(() => Client.CoreV1.ReadNamespacedSecretAsync("plain", "team")));
        var held = await Client.CoreV1.ReadNamespacedConfigMapAsync("held", "team");
        Assert.NotNull(held.Metadata.DeletionTimestamp);

        held.Metadata.Finalizers = [];
        await Client.CoreV1.ReplaceNamespacedConfigMapAsync(held, "held", "team");

        Assert.Equal(404, await StatusCodeOf(() => Client.CoreV1.ReadNamespaceAsync("team")));
    }

    [Fact]
    public async Task Nothing_new_can_be_created_in_a_terminating_namespace()
    {
        await CreateHeldConfigMapAsync();
        await Client.CoreV1.DeleteNamespaceAsync("team");

        var error = await Assert.ThrowsAsync<k8s.Autorest.HttpOperationException>(() =>
            Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "late" } }, "team"));

        Assert.Equal(403, (int)error.Response.StatusCode);
        var status = KubernetesJson.Deserialize<V1Status>(error.Response.Content);
        Assert.Equal("Forbidden", status.Reason);
        Assert.Equal("configmaps \"late\" is forbidden: unable to create new content in namespace team because it is being terminated", status.Message);
        Assert.Equal("NamespaceTerminating", status.Details.Causes.Single().Reason);
    }

    [Fact]
    public async Task An_empty_namespace_goes_at_once_and_a_new_one_gets_the_kubernetes_finalizer()
    {
        var created = await Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "empty" } });

        await Client.CoreV1.DeleteNamespaceAsync("empty");

        Assert.Equal(["kubernetes"], created.Spec.Finalizers);
        Assert.Equal("Active", created.Status.Phase);
        Assert.Equal(404, await StatusCodeOf(() => Client.CoreV1.ReadNamespaceAsync("empty")));
    }

    [Fact]
    public async Task Without_implicit_namespaces_content_needs_its_namespace_as_on_a_real_server()
    {
        await using var strict = await EmbeddedApiServer.StartAsync(new EmbeddedApiServerOptions { ImplicitNamespaces = false });
        using var client = new Kubernetes(strict.ClientConfiguration());

        var error = await Assert.ThrowsAsync<k8s.Autorest.HttpOperationException>(() =>
            client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "c" } }, "ml"));
        await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "ml" } });
        await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "c" } }, "ml");

        Assert.Equal(404, (int)error.Response.StatusCode);
        Assert.Equal("namespaces \"ml\" not found", KubernetesJson.Deserialize<V1Status>(error.Response.Content).Message);
    }
}
