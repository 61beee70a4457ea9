using k8s;
using k8s.Models;
using Lineage.Operator.Api.V1Alpha1;
using Lineage.Operator.Local;
using Lineage.Operator.Runtime;

namespace Lineage.Operator.Tests.Local;

public sealed class ManifestApplierTests
{
    static async Task<(EmbeddedApiServer.EmbeddedApiServer Server, Kubernetes Client)> StartAsync()
    {
        var server = await EmbeddedApiServer.EmbeddedApiServer.StartAsync();
        server.InstallCrdsFromDirectory(RepoRoot.File("crds"));
        return (server, new Kubernetes(server.ClientConfiguration()));
    }

    [Fact]
    public async Task The_examples_apply_by_server_side_apply_and_applying_again_changes_nothing()
    {
        var (server, client) = await StartAsync();
        await using var _ = server;
        using var __ = client;
        var applied = await new ManifestApplier(client).ApplyAsync(RepoRoot.File("examples"), default);
        Assert.Equal(["Namespace", "Secret", "Generation", "Generation", "Generation"], applied.Select(a => a.Kind));
        var gen2 = await new ResourceClient<Generation>(client).GetAsync(new ObjectKey("ml", "gen-2"), default);
        Assert.Equal(16, gen2?.Spec.Training?.Distillation?.Samples);

        var version = server.ResourceVersion;
        await new ManifestApplier(client).ApplyAsync(RepoRoot.File("examples"), default);
        Assert.Equal(version, server.ResourceVersion);
    }

    [Fact]
    public async Task A_refused_document_is_an_error_naming_file_document_and_field_and_earlier_ones_stay()
    {
        var (server, client) = await StartAsync();
        await using var _ = server;
        using var __ = client;
        var dir = Directory.CreateTempSubdirectory("manifests");
        try
        {
            await File.WriteAllTextAsync(Path.Combine(dir.FullName, "a.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: kept, namespace: ml}\ndata: {a: b}\n");
            await File.WriteAllTextAsync(Path.Combine(dir.FullName, "b.yaml"),
                "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: fine, namespace: ml}\n---\napiVersion: lineage.dev/v1alpha1\nkind: Generation\nmetadata: {name: g, namespace: ml}\n" +
                "spec: {lineage: Not_A_Label, base: s3://m/b, evaluation: {dataset: {task: addition}}, storage: {uri: 'file:///tmp/s'}}\n");
            var error = await Assert.ThrowsAsync<InvalidOperationException>(() => new ManifestApplier(client).ApplyAsync(dir.FullName, default));
            Assert.Contains("b.yaml (document 2)", error.Message);
            Assert.Contains("spec.lineage", error.Message);
            Assert.NotNull(await client.CoreV1.ReadNamespacedConfigMapAsync("kept", "ml"));
            Assert.NotNull(await client.CoreV1.ReadNamespacedConfigMapAsync("fine", "ml"));

            await File.WriteAllTextAsync(Path.Combine(dir.FullName, "b.yaml"), "apiVersion: lineage.dev/v1alpha1\nkind: Sprocket\nmetadata: {name: s}\n");
            var unknown = await Assert.ThrowsAsync<InvalidOperationException>(() => new ManifestApplier(client).ApplyAsync(dir.FullName, default));
            Assert.Contains("no kind Sprocket in lineage.dev/v1alpha1", unknown.Message);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
