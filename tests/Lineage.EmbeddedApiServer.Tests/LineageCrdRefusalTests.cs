using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Lineage.EmbeddedApiServer.Tests;

/// <summary>
/// Each class of bad field in the repository's own CRDs (crds/) is refused at admission with the message a kubectl user
/// reads, naming the field; a refused edit leaves the stored object as it was. docs/reliability.md quotes these messages.
/// </summary>
public sealed class LineageCrdRefusalTests : ServerTest
{
    const string Group = "lineage.dev", Version = "v1alpha1";
    /// <summary>kube-apiserver's note when a wrong type, an unknown enum value or a missing field kept the CEL rules from running.</summary>
    const string RulesNotChecked = "<nil>: Invalid value: \"null\": some validation rules were not checked because the object was invalid; correct the existing errors to complete validation";
    const string Invalid = "Generation.lineage.dev \"gen-1\" is invalid: ";

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Server.InstallCrdsFromDirectory(RepoRoot.File("crds"));
    }

    static JsonNode Generation(string name = "gen-1") => JsonNode.Parse("""
        {"apiVersion":"lineage.dev/v1alpha1","kind":"Generation","metadata":{"name":"NAME"},
         "spec":{"lineage":"math","parent":"gen-0",
                 "training":{"grpo":{"dataset":{"task":"multiplication","digits":2},"steps":100,"checkpointEvery":50}},
                 "evaluation":{"dataset":{"task":"multiplication","digits":2},"problems":100},
                 "promotion":{"minScore":0.3,"mode":"auto"},
                 "storage":{"uri":"s3://models/lineages","secretName":"s3"}}}
        """.Replace("NAME", name))!;

    static JsonNode GrpoRun() => JsonNode.Parse("""
        {"apiVersion":"lineage.dev/v1alpha1","kind":"GrpoRun","metadata":{"name":"gen-1"},
         "spec":{"policy":{"uri":"s3://models/lineages/math/gen-0/model"},"output":"s3://models/lineages/math/gen-1/model",
                 "storage":{"uri":"s3://models/lineages","secretName":"s3"},"steps":100,"checkpointEvery":50,"lossType":"dapo"}}
        """)!;

    static JsonNode Distillation() => JsonNode.Parse("""
        {"apiVersion":"lineage.dev/v1alpha1","kind":"Distillation","metadata":{"name":"gen-2"},
         "spec":{"teacher":{"uri":"s3://models/lineages/math/gen-1/model"},"output":"s3://models/lineages/math/gen-2/model",
                 "storage":{"uri":"s3://models/lineages","secretName":"s3"},"strategy":"bestOfN","samples":8,"ranker":{"name":"accuracy"},
                 "prompts":{"task":"multiplication","digits":2}}}
        """)!;

    static JsonNode Lineage() => JsonNode.Parse("""
        {"apiVersion":"lineage.dev/v1alpha1","kind":"Lineage","metadata":{"name":"math"},
         "spec":{"maxGenerations":3,"base":{"uri":"file:///models/base"},
                 "template":{"evaluation":{"dataset":{"task":"multiplication","digits":2}}},
                 "plan":[{"name":"grpo","grpo":{"steps":100,"checkpointEvery":50}}]}}
        """)!;

    Task<object> Create(JsonNode body, string plural) =>
        Client.CustomObjects.CreateNamespacedCustomObjectAsync(body, Group, Version, "default", plural);

    static async Task<string> Refusal(Func<Task> write)
    {
        var error = await Assert.ThrowsAsync<HttpOperationException>(write);
        Assert.Equal(422, (int)error.Response.StatusCode);
        return KubernetesJson.Deserialize<V1Status>(error.Response.Content).Message;
    }

    [Fact]
    public async Task The_valid_objects_are_admitted()
    {
        await Create(Generation(), "generations");
        await Create(GrpoRun(), "grporuns");
        await Create(Distillation(), "distillations");
        await Create(Lineage(), "lineages");
    }

    public static TheoryData<string, string, string> BadGenerations => new()
    {
        // wrong type (the CEL rules on it are not run: they would compare a string with a number)
        { "training.grpo.steps", "\"many\"", Invalid + "[spec.training.grpo.steps: Invalid value: \"string\": spec.training.grpo.steps in body must be of type integer: \"string\", " + RulesNotChecked + "]" },
        // out of range
        { "promotion.minScore", "1.5", Invalid + "spec.promotion.minScore: Invalid value: 1.5: spec.promotion.minScore in body should be less than or equal to 1" },
        // unknown enum
        { "promotion.mode", "\"sometimes\"", Invalid + "[spec.promotion.mode: Unsupported value: \"sometimes\": supported values: \"auto\", \"manual\", " + RulesNotChecked + "]" },
        // pattern
        { "lineage", "\"Math_1\"", Invalid + "spec.lineage: Invalid value: \"Math_1\": spec.lineage in body should match '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$'" },
        // CEL rules
        { "training.grpo.checkpointEvery", "500", Invalid + "spec.training.grpo: Invalid value: \"object\": checkpointEvery must not exceed steps" },
        { "base", "\"file:///models/base\"", Invalid + "spec: Invalid value: \"object\": set at most one of parent or base" },
        { "parent", "\"\"", Invalid + "[spec.parent: Invalid value: \"\": spec.parent in body should be at least 1 chars long, spec.parent: Invalid value: \"\": spec.parent in body should match '^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$', spec: Invalid value: \"object\": parent must not be empty]" },
        { "storage.secretName", "null", Invalid + "spec.storage: Invalid value: \"object\": secretName is required for an s3:// uri" },
        // required
        { "storage", "null", Invalid + "[spec.storage: Required value, " + RulesNotChecked + "]" },
    };

    [Theory, MemberData(nameof(BadGenerations))]
    public async Task A_bad_generation_field_is_refused_naming_the_field(string field, string value, string message)
    {
        var body = Generation();
        Set(body["spec"]!, field, JsonNode.Parse(value));

        Assert.Equal(message, await Refusal(() => Create(body, "generations")));
        Assert.Empty(await List("generations"));
    }

    [Fact]
    public async Task Bad_fields_of_the_other_kinds_are_refused_naming_the_field()
    {
        var grpo = GrpoRun();
        grpo["spec"]!["lossType"] = "ppo";
        Assert.Equal("GrpoRun.lineage.dev \"gen-1\" is invalid: [spec.lossType: Unsupported value: \"ppo\": supported values: \"grpo\", \"bnpo\", \"dapo\", \"dr_grpo\", " + RulesNotChecked + "]",
            await Refusal(() => Create(grpo, "grporuns")));

        var distillation = Distillation();
        distillation["spec"]!.AsObject().Remove("ranker");
        Assert.Equal("Distillation.lineage.dev \"gen-2\" is invalid: spec: Invalid value: \"object\": ranker is required for strategy bestOfN",
            await Refusal(() => Create(distillation, "distillations")));

        var lineage = Lineage();
        lineage["spec"]!["maxGenerations"] = 500;
        Assert.Equal("Lineage.lineage.dev \"math\" is invalid: spec.maxGenerations: Invalid value: 500: spec.maxGenerations in body should be less than or equal to 200",
            await Refusal(() => Create(lineage, "lineages")));
    }

    [Fact]
    public async Task A_refused_edit_leaves_the_stored_generation_unchanged()
    {
        await Create(Generation(), "generations");
        var before = await Get("generations", "gen-1");

        var edited = before.DeepClone();
        Set(edited["spec"]!, "promotion.minScore", 2);
        var replace = await Refusal(() => Client.CustomObjects.ReplaceNamespacedCustomObjectAsync(edited, Group, Version, "default", "generations", "gen-1"));
        Assert.Contains("spec.promotion.minScore", replace);
        var patch = await Refusal(() => Client.CustomObjects.PatchNamespacedCustomObjectAsync(
            new V1Patch("""{"spec":{"training":{"grpo":{"steps":10}}}}""", V1Patch.PatchType.MergePatch), Group, Version, "default", "generations", "gen-1"));
        Assert.Contains("checkpointEvery must not exceed steps", patch);

        var after = await Get("generations", "gen-1");
        Assert.Equal(before.ToJsonString(), after.ToJsonString());   // same spec, same resourceVersion, same generation
    }

    async Task<JsonNode> Get(string plural, string name) =>
        JsonNode.Parse(KubernetesJson.Serialize(await Client.CustomObjects.GetNamespacedCustomObjectAsync(Group, Version, "default", plural, name)))!;

    async Task<JsonArray> List(string plural) =>
        JsonNode.Parse(KubernetesJson.Serialize(await Client.CustomObjects.ListNamespacedCustomObjectAsync(Group, Version, "default", plural)))!["items"]!.AsArray();

    /// <summary>Sets (or, for null, removes) a dotted path under <paramref name="node"/>.</summary>
    static void Set(JsonNode node, string path, JsonNode? value)
    {
        var parts = path.Split('.');
        foreach (var part in parts[..^1]) node = node[part]!;
        if (value is null) node.AsObject().Remove(parts[^1]);
        else node[parts[^1]] = value;
    }
}
