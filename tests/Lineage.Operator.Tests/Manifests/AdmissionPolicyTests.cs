using System.Text.Json.Nodes;
using Cel;
using k8s;
using k8s.Models;
using Lineage.Operator.Api.V1Alpha1;

namespace Lineage.Operator.Tests.Manifests;

/// <summary>
/// The chart's ValidatingAdmissionPolicy, evaluated as kube-apiserver would (its variables, then each validation) with
/// the CEL implementation the project's API server uses: the project's API server does not serve
/// admissionregistration.k8s.io, so the operator's own check (TenantPolicyTests) is the one enforced here, and this
/// test is what shows the policy rendered for clusters denies the same specs.
/// </summary>
public sealed class AdmissionPolicyTests
{
    static JsonObject Policy(params (string, object?)[] set) => RenderedChart.Render(set: set).Single("ValidatingAdmissionPolicy");

    /// <summary>The messages of the validations that deny <paramref name="obj"/> (empty: admitted).</summary>
    static List<string> Denials(JsonObject policy, object obj)
    {
        var environment = new CelEnvironment(null, null);
        var json = JsonNode.Parse(KubernetesJson.Serialize(obj))!;
        var variables = new Dictionary<string, object?>();
        var scope = new Dictionary<string, object?> { ["object"] = Plain(json), ["variables"] = variables };
        foreach (var variable in policy["spec"]!["variables"]!.AsArray())
            variables[(string)variable!["name"]!] = environment.Compile((string)variable["expression"]!)(scope);
        return policy["spec"]!["validations"]!.AsArray()
            .Where(v => environment.Compile((string)v!["expression"]!)(scope) is not true)
            .Select(v => (string)environment.Compile((string)v!["messageExpression"]!)(scope)!)
            .ToList();
    }

    static object? Plain(JsonNode? node) => node switch
    {
        JsonObject o => o.ToDictionary(kv => kv.Key, kv => Plain(kv.Value)),
        JsonArray a => a.Select(Plain).ToList(),
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonValue v when v.TryGetValue<bool>(out var b) => b,
        JsonValue v when v.TryGetValue<long>(out var l) => l,
        JsonValue v => v.GetValue<double>(),
        _ => null,
    };

    static Generation Generation(string image, string store) => new()
    {
        Metadata = new V1ObjectMeta { Name = "gen-1", NamespaceProperty = "ml" },
        Spec = new Generation.GenerationSpec { Lineage = "math", Base = "s3://models/base", Resources = new Resources { Image = image }, Storage = new StorageSpec { Uri = store, SecretName = "s3" } },
    };

    static LineageResource Lineage(string image, string? store) => new()
    {
        Metadata = new V1ObjectMeta { Name = "math", NamespaceProperty = "ml" },
        Spec = new LineageResource.LineageSpec
        {
            Base = new LineageBase { Uri = "s3://models/base" },
            Template = new GenerationTemplate { Resources = new Resources { Image = image }, Storage = store is null ? null : new StorageSpec { Uri = store, SecretName = "s3" } },
        },
    };

    [Fact]
    public void The_chart_default_admits_its_own_trainer_image_on_s3()
    {
        Assert.Empty(Denials(Policy(), Generation(Resources.DefaultImage, "s3://models/lineages")));
        Assert.Empty(Denials(Policy(), Lineage(Resources.DefaultImage, null)));
    }

    [Fact]
    public void Another_image_is_denied_naming_spec_resources_image_in_every_kind()
    {
        Assert.Equal(["spec.resources.image: evil/miner:1 is not an allowed trainer image (chart value trainer.allowedImages)"],
            Denials(Policy(), Generation("evil/miner:1", "s3://models/lineages")));
        Assert.Single(Denials(Policy(), Lineage("evil/miner:1", "s3://models/lineages")));
        var run = new GrpoRun { Metadata = new V1ObjectMeta { Name = "r" }, Spec = new GrpoRun.GrpoRunSpec { Resources = new Resources { Image = "evil/miner:1" }, Storage = new StorageSpec { Uri = "s3://m/x" } } };
        Assert.Single(Denials(Policy(), run));
    }

    [Fact]
    public void A_file_store_is_denied_and_a_star_allows_any_image()
    {
        Assert.Equal(["spec.storage.uri: file:///etc is a file:// store, which only local mode allows; use s3://"],
            Denials(Policy(), Generation(Resources.DefaultImage, "file:///etc")));
        Assert.Single(Denials(Policy(), Lineage(Resources.DefaultImage, "file:///var/run")));
        var any = Policy(("trainer.allowedImages", new List<object?> { "*" }));
        Assert.Empty(Denials(any, Generation("my/trainer:dev", "s3://models/lineages")));
    }

    [Fact]
    public void The_binding_denies_and_is_confined_to_the_watched_namespace()
    {
        var binding = RenderedChart.Render(set: ("watchNamespace", "ml")).Single("ValidatingAdmissionPolicyBinding")["spec"]!;
        Assert.Equal(["Deny"], binding["validationActions"]!.AsArray().Select(a => (string)a!));
        Assert.Equal("ml", (string)binding["matchResources"]!["namespaceSelector"]!["matchLabels"]!["kubernetes.io/metadata.name"]!);
        Assert.Empty(RenderedChart.Render(set: ("admissionPolicy.enabled", false)).OfKind("ValidatingAdmissionPolicy"));
    }
}
