using System.Text;
using k8s.Models;
using Lineage.LocalNode.Containers;

namespace Lineage.LocalNode.Tests.Containers;

public sealed class EnvironmentResolverTests
{
    static readonly V1Pod Pod = new()
    {
        Metadata = new V1ObjectMeta { Name = "p-1", NamespaceProperty = "ml", Uid = "u-1", Labels = new Dictionary<string, string> { ["app"] = "train" } },
        Spec = new V1PodSpec { NodeName = "local", Containers = [] },
    };

    static V1Secret Secret(string name, params (string Key, string Value)[] data) =>
        new() { Metadata = new V1ObjectMeta { Name = name }, Data = data.ToDictionary(d => d.Key, d => Encoding.UTF8.GetBytes(d.Value)) };

    static V1ConfigMap ConfigMap(string name, params (string Key, string Value)[] data) =>
        new() { Metadata = new V1ObjectMeta { Name = name }, Data = data.ToDictionary(d => d.Key, d => d.Value) };

    static IReadOnlyDictionary<string, string> Resolve(V1Container c, V1Secret[]? secrets = null, V1ConfigMap[]? maps = null) =>
        EnvironmentResolver.Resolve(Pod, c,
            (secrets ?? []).ToDictionary(s => s.Metadata.Name, s => (V1Secret?)s),
            (maps ?? []).ToDictionary(m => m.Metadata.Name, m => (V1ConfigMap?)m), "127.0.0.1");

    static V1EnvVar FromSecret(string name, string secret, string key, bool? optional = null) =>
        new() { Name = name, ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = secret, Key = key, Optional = optional } } };

    [Fact]
    public void EnvFrom_comes_first_and_env_overrides_it_in_order()
    {
        var container = new V1Container
        {
            EnvFrom = [new V1EnvFromSource { ConfigMapRef = new V1ConfigMapEnvSource { Name = "cm" } }, new V1EnvFromSource { Prefix = "S_", SecretRef = new V1SecretEnvSource { Name = "s" } }],
            Env = [new V1EnvVar { Name = "MODE", Value = "slow" }, new V1EnvVar { Name = "BOTH", Value = "$(MODE)+$(S_K)" }],
        };

        var env = Resolve(container, [Secret("s", ("K", "v"))], [ConfigMap("cm", ("MODE", "fast"), ("OTHER", "o"))]);

        Assert.Equal("slow", env["MODE"]);
        Assert.Equal("o", env["OTHER"]);
        Assert.Equal("v", env["S_K"]);
        Assert.Equal("slow+v", env["BOTH"]);
    }

    [Theory]
    [InlineData("metadata.name", "p-1")]
    [InlineData("metadata.namespace", "ml")]
    [InlineData("metadata.uid", "u-1")]
    [InlineData("metadata.labels['app']", "train")]
    [InlineData("spec.nodeName", "local")]
    [InlineData("status.podIP", "127.0.0.1")]
    public void Field_refs_read_the_pod(string path, string expected) => Assert.Equal(expected, EnvironmentResolver.FieldValue(Pod, path, "127.0.0.1"));

    [Fact]
    public void A_missing_secret_is_a_CreateContainerConfigError_with_the_kubelets_message()
    {
        var error = Assert.Throws<ContainerConfigError>(() => Resolve(new V1Container { Env = [FromSecret("K", "s3", "AWS_ACCESS_KEY_ID")] }));

        Assert.Equal(("CreateContainerConfigError", "secret \"s3\" not found"), (error.Reason, error.Message));
    }

    [Fact]
    public void A_missing_key_names_the_key_and_the_secret()
    {
        var error = Assert.Throws<ContainerConfigError>(() => Resolve(new V1Container { Env = [FromSecret("K", "s3", "AWS_ACCESS_KEY_ID")] }, [Secret("s3", ("other", "x"))]));

        Assert.Equal("couldn't find key AWS_ACCESS_KEY_ID in Secret ml/s3", error.Message);
    }

    [Fact]
    public void A_missing_configmap_key_names_the_key_and_the_configmap()
    {
        var container = new V1Container { Env = [new V1EnvVar { Name = "M", ValueFrom = new V1EnvVarSource { ConfigMapKeyRef = new V1ConfigMapKeySelector { Name = "cm", Key = "mode" } } }] };

        Assert.Equal("configmap \"cm\" not found", Assert.Throws<ContainerConfigError>(() => Resolve(container)).Message);
        Assert.Equal("couldn't find key mode in ConfigMap ml/cm", Assert.Throws<ContainerConfigError>(() => Resolve(container, maps: [ConfigMap("cm")])).Message);
    }

    [Fact]
    public void Optional_references_that_are_missing_are_skipped()
    {
        var env = Resolve(new V1Container { Env = [FromSecret("K", "absent", "k", optional: true)], EnvFrom = [new V1EnvFromSource { SecretRef = new V1SecretEnvSource { Name = "absent", Optional = true } }] });

        Assert.Empty(env);
    }

    [Fact]
    public void The_secrets_and_configmaps_a_container_uses_are_listed_for_fetching()
    {
        var container = new V1Container
        {
            EnvFrom = [new V1EnvFromSource { SecretRef = new V1SecretEnvSource { Name = "a" } }, new V1EnvFromSource { ConfigMapRef = new V1ConfigMapEnvSource { Name = "c" } }],
            Env = [FromSecret("K", "b", "k"), new V1EnvVar { Name = "V", Value = "x" }],
        };

        Assert.Equal(["a", "b"], EnvironmentResolver.SecretsUsed(container).Order());
        Assert.Equal(["c"], EnvironmentResolver.ConfigMapsUsed(container));
    }
}
