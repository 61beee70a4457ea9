using k8s;
using k8s.Models;

namespace Lineage.EmbeddedApiServer.Tests;

/// <summary>Every built-in kind the operator uses round-trips through its typed KubernetesClient API.</summary>
public sealed class BuiltInKindsTests : ServerTest
{
    private static V1ObjectMeta Meta(string name) => new() { Name = name, Labels = new Dictionary<string, string> { ["app"] = "lineage" } };

    [Fact]
    public async Task Core_kinds_create_read_list_and_delete()
    {
        await Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = Meta("cm"), Data = new Dictionary<string, string> { ["k"] = "v" } }, "default");
        await Client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = Meta("secret"), Data = new Dictionary<string, byte[]> { ["k"] = [1, 2, 3] } }, "default");
        await Client.CoreV1.CreateNamespacedServiceAccountAsync(new V1ServiceAccount { Metadata = Meta("sa") }, "default");
        await Client.CoreV1.CreateNamespacedServiceAsync(new V1Service { Metadata = Meta("svc"), Spec = new V1ServiceSpec { Ports = [new V1ServicePort { Port = 8080 }] } }, "default");
        await Client.CoreV1.CreateNamespacedPodAsync(new V1Pod
        {
            Metadata = Meta("pod"),
            Spec = new V1PodSpec { Containers = [new V1Container { Name = "c", Image = "busybox" }] },
        }, "default");

        Assert.Equal("v", (await Client.CoreV1.ReadNamespacedConfigMapAsync("cm", "default")).Data["k"]);
        Assert.Equal([1, 2, 3], (await Client.CoreV1.ReadNamespacedSecretAsync("secret", "default")).Data["k"]);
        Assert.NotNull(await Client.CoreV1.ReadNamespacedServiceAccountAsync("sa", "default"));
        Assert.Equal(8080, (await Client.CoreV1.ReadNamespacedServiceAsync("svc", "default")).Spec.Ports[0].Port);
        Assert.Single((await Client.CoreV1.ListNamespacedPodAsync("default", labelSelector: "app=lineage")).Items);

        var deletedPod = await Client.CoreV1.DeleteNamespacedPodAsync("pod", "default");
        Assert.Equal("pod", deletedPod.Metadata.Name);
        Assert.Empty((await Client.CoreV1.ListNamespacedPodAsync("default")).Items);
    }

    [Fact]
    public async Task A_pod_is_bound_to_a_node_once_through_its_binding_subresource_and_not_by_an_update()
    {
        await Client.CoreV1.CreateNodeAsync(new V1Node { Metadata = new V1ObjectMeta { Name = "local" } });
        await Client.CoreV1.CreateNamespacedPodAsync(new V1Pod { Metadata = Meta("pod"), Spec = new V1PodSpec { Containers = [new V1Container { Name = "c", Image = "busybox" }] } }, "default");
        var binding = new V1Binding { Metadata = new V1ObjectMeta { Name = "pod" }, Target = new V1ObjectReference { ApiVersion = "v1", Kind = "Node", Name = "local" } };

        await Client.CoreV1.CreateNamespacedPodBindingAsync(binding, "pod", "default");
        var bound = await Client.CoreV1.ReadNamespacedPodAsync("pod", "default");
        Assert.Equal("local", bound.Spec.NodeName);

        var again = await Assert.ThrowsAsync<k8s.Autorest.HttpOperationException>(() => Client.CoreV1.CreateNamespacedPodBindingAsync(binding, "pod", "default"));
        Assert.Equal(409, (int)again.Response.StatusCode);
        Assert.Contains("pod pod is already assigned to node", again.Response.Content);

        bound.Spec.NodeName = "elsewhere";
        var update = await Assert.ThrowsAsync<k8s.Autorest.HttpOperationException>(() => Client.CoreV1.ReplaceNamespacedPodAsync(bound, "pod", "default"));
        Assert.Equal(422, (int)update.Response.StatusCode);
        Assert.Single((await Client.CoreV1.ListNodeAsync()).Items);
    }

    [Fact]
    public async Task Pod_status_is_written_through_its_subresource()
    {
        await Client.CoreV1.CreateNamespacedPodAsync(new V1Pod
        {
            Metadata = Meta("pod"),
            Spec = new V1PodSpec { Containers = [new V1Container { Name = "trainer", Image = "lineage-trainer" }] },
        }, "default");

        await Client.CoreV1.PatchNamespacedPodStatusAsync(new V1Patch(new
        {
            status = new
            {
                phase = "Failed",
                containerStatuses = new[]
                {
                    new { name = "trainer", state = new { terminated = new { exitCode = 1, message = "out of memory at step 40" } } },
                },
            },
        }, V1Patch.PatchType.MergePatch), "pod", "default");

        var pod = await Client.CoreV1.ReadNamespacedPodAsync("pod", "default");
        Assert.Equal("out of memory at step 40", pod.Status.ContainerStatuses[0].State.Terminated.Message);
    }

    [Fact]
    public async Task Events_of_both_APIs_are_recorded()
    {
        await Client.CoreV1.CreateNamespacedEventAsync(new Corev1Event
        {
            Metadata = new V1ObjectMeta { Name = "gen-1.promoted" },
            InvolvedObject = new V1ObjectReference { Kind = "Generation", Name = "gen-1", NamespaceProperty = "default" },
            Reason = "Promoted",
            Message = "score 0.61 >= 0.55",
            Type = "Normal",
        }, "default");
        await Client.EventsV1.CreateNamespacedEventAsync(new Eventsv1Event
        {
            Metadata = new V1ObjectMeta { Name = "gen-1.rejected" },
            EventTime = new DateTime(2026, 12, 1, 9, 0, 0, DateTimeKind.Utc),
            Regarding = new V1ObjectReference { Kind = "Generation", Name = "gen-1" },
            Reason = "Rejected",
            Action = "Evaluate",
            ReportingController = "lineage.dev/operator",
            ReportingInstance = "operator-0",
            Type = "Warning",
        }, "default");

        var core = await Client.CoreV1.ListNamespacedEventAsync("default", fieldSelector: "involvedObject.name=gen-1");
        Assert.Equal("Promoted", Assert.Single(core.Items).Reason);
        var modern = await Client.EventsV1.ListNamespacedEventAsync("default");
        Assert.Equal("Rejected", Assert.Single(modern.Items).Reason);
    }

    [Fact]
    public async Task Leases_are_conflict_checked()
    {
        var lease = await Client.CoordinationV1.CreateNamespacedLeaseAsync(new V1Lease
        {
            Metadata = new V1ObjectMeta { Name = "lock" },
            Spec = new V1LeaseSpec { HolderIdentity = "a", LeaseDurationSeconds = 15 },
        }, "default");
        lease.Spec.HolderIdentity = "b";
        await Client.CoordinationV1.ReplaceNamespacedLeaseAsync(lease, "lock", "default");

        lease.Spec.HolderIdentity = "c";
        Assert.Equal(409, await StatusCodeOf(() => Client.CoordinationV1.ReplaceNamespacedLeaseAsync(lease, "lock", "default")));
    }

    [Fact]
    public async Task Namespaced_objects_can_be_created_in_a_namespace_that_was_never_created()
    {
        await Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = Meta("cm") }, "implicit");

        Assert.NotNull(await Client.CoreV1.ReadNamespacedConfigMapAsync("cm", "implicit"));
        Assert.DoesNotContain((await Client.CoreV1.ListNamespaceAsync()).Items, n => n.Metadata.Name == "implicit");
    }
}
