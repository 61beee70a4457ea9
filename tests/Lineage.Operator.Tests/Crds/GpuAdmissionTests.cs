using k8s;
using k8s.Autorest;
using Lineage.Operator.Api.V1Alpha1;

namespace Lineage.Operator.Tests.Crds;

/// <summary>The CRDs admit at most one GPU per pod: the trainer trains on one device and has no data parallelism.</summary>
public sealed class GpuAdmissionTests
{
    static object Generation(string name, int gpus) => new Dictionary<string, object>
    {
        ["apiVersion"] = "lineage.dev/v1alpha1",
        ["kind"] = "Generation",
        ["metadata"] = new { name, @namespace = "ml" },
        ["spec"] = new
        {
            lineage = "math", @base = "s3://m/b", evaluation = new { dataset = new { task = "addition" } }, storage = new { uri = "file:///tmp/s" },
            resources = new { gpus },
        },
    };

    [Fact]
    public async Task A_generation_asking_for_two_gpus_is_refused_at_admission_with_the_reason_and_one_is_admitted()
    {
        await using var server = await EmbeddedApiServer.EmbeddedApiServer.StartAsync();
        server.InstallCrdsFromDirectory(RepoRoot.File("crds"));
        using var client = new Kubernetes(server.ClientConfiguration());

        var refused = await Assert.ThrowsAsync<HttpOperationException>(() =>
            client.CustomObjects.CreateNamespacedCustomObjectAsync(Generation("two", 2), "lineage.dev", "v1alpha1", "ml", "generations"));
        Assert.Equal(System.Net.HttpStatusCode.UnprocessableEntity, refused.Response.StatusCode);
        Assert.Contains("spec.resources.gpus", refused.Response.Content);
        Assert.Contains(Resources.MaxGpusMessage, refused.Response.Content);

        await client.CustomObjects.CreateNamespacedCustomObjectAsync(Generation("one", 1), "lineage.dev", "v1alpha1", "ml", "generations");
    }
}
