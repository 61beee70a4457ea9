using System.Text.Json;
using k8s;
using k8s.Models;

namespace Lineage.EmbeddedApiServer.Tests.Kubectl;

/// <summary>kubectl apply (client-side, server-side, dry run) against the embedded server, with the repository's CRDs and examples.</summary>
public sealed class KubectlApplyTests : KubectlTest
{
    internal static string Generation(string name, string extraSpec = "", string source = "base: file:///models/base") => $"""
        apiVersion: lineage.dev/v1alpha1
        kind: Generation
        metadata:
          name: {name}
          namespace: ml
        spec:
          lineage: math
          {source}
          evaluation:
            dataset:
              task: multiplication
        {extraSpec}
          storage:
            uri: file:///tmp/lineage-store
        """;

    private async Task<JsonElement> GenerationJson(string name) =>
        (JsonElement)await Client.CustomObjects.GetNamespacedCustomObjectAsync("lineage.dev", "v1alpha1", "ml", "generations", name);

    [KubectlFact]
    public async Task Apply_of_the_examples_creates_them_with_validation_on_and_get_shows_the_printer_columns()
    {
        var applied = (await Kubectl.RunAsync("apply", "-f", RepoRoot.File("examples"))).Succeeded();

        Assert.Contains("namespace/ml created", applied.Stdout);
        Assert.Contains("secret/s3-credentials created", applied.Stdout);
        Assert.Contains("generation.lineage.dev/gen-0 created", applied.Stdout);
        Assert.Contains("generation.lineage.dev/gen-2 created", applied.Stdout);
        var table = (await Kubectl.RunAsync("get", "gen", "-n", "ml")).Succeeded().Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^NAME\s+LINEAGE\s+PARENT\s+PHASE\s+SCORE\s+AGE$", table[0]);
        Assert.Matches(@"^gen-1\s+math\s+gen-0\s+", table[2]);
        Assert.Equal(4, table.Length);
        // Applying the same files again changes nothing. (kubectl still patches gen-1 and the Secret, as it does
        // against a real server: gen-1's rewards list has defaulted fields, and stringData is never read back.)
        var version = Server.ResourceVersion;
        var again = (await Kubectl.RunAsync("apply", "-f", RepoRoot.File("examples"))).Succeeded();
        Assert.Contains("generation.lineage.dev/gen-0 unchanged", again.Stdout);
        Assert.Equal(version, Server.ResourceVersion);
    }

    [KubectlFact]
    public async Task Client_side_apply_again_changes_only_what_changed_in_the_file()
    {
        await Kubectl.RunAsync("apply", "-f", Example("00-namespace.yaml"), "-f", Example("01-s3-credentials.yaml"));
        Assert.Contains("namespace/ml unchanged", (await Kubectl.RunAsync("apply", "-f", Example("00-namespace.yaml"))).Succeeded().Stdout);
        const string config = """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: settings
              namespace: ml
              labels: {team: math}
            data:
              steps: "100"
              task: multiplication
            """;
        (await Kubectl.RunAsync("apply", "-f", Manifest("cm.yaml", config))).Succeeded();
        // Someone else adds a key; the file then drops one key and changes another.
        await Client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch(new { data = new { owner = "ops" } }, V1Patch.PatchType.MergePatch), "settings", "ml");

        var changed = (await Kubectl.RunAsync("apply", "-f", Manifest("cm.yaml", config.Replace("  task: multiplication", "").Replace("\"100\"", "\"200\"")))).Succeeded();

        Assert.Contains("configmap/settings configured", changed.Stdout);
        var map = await Client.CoreV1.ReadNamespacedConfigMapAsync("settings", "ml");
        Assert.Equal(new Dictionary<string, string> { ["steps"] = "200", ["owner"] = "ops" }, map.Data);
        Assert.Equal("math", map.Metadata.Labels["team"]);
        Assert.Contains("kubectl.kubernetes.io/last-applied-configuration", map.Metadata.Annotations.Keys);
        Assert.Contains(Server.Requests.All, r => r is { Verb: "patch", Resource: "configmaps", StatusCode: 200 });
    }

    [KubectlFact]
    public async Task An_unknown_field_is_refused_with_the_strict_decoding_error_or_dropped_with_a_warning_for_an_old_kubectl()
    {
        await Kubectl.RunAsync("apply", "-f", Example("00-namespace.yaml"));
        // YAML 1.1 reads the key n as false, so the field is "false".
        var manifest = Manifest("g.yaml", Generation("g1", """
              training:
                distillation:
                  strategy: selfConsistency
                  n: 4
            """));

        var result = await Kubectl.RunAsync("apply", "-f", manifest);

        if (Kubectl.ValidatesOnServer)
        {
            Assert.Contains("strict decoding error: unknown field \"spec.training.distillation.false\"", result.Failed().Stderr);
            Assert.Equal(404, await StatusOf(() => GenerationJson("g1")));
        }
        else
        {
            // Without fieldValidation the server's default is Warn: the field is dropped and reported.
            Assert.Contains("Warning: unknown field \"spec.training.distillation.false\"", result.Succeeded().Stderr);
            Assert.False((await GenerationJson("g1")).GetProperty("spec").GetProperty("training").GetProperty("distillation").TryGetProperty("false", out _));
        }
    }

    [KubectlFact]
    public async Task A_CEL_rule_violation_is_refused_with_kube_apiservers_message()
    {
        await Kubectl.RunAsync("apply", "-f", Example("00-namespace.yaml"));
        var manifest = Manifest("g.yaml", Generation("g1", source: "base: file:///models/base\n  parent: gen-0"));

        var result = (await Kubectl.RunAsync("apply", "-f", manifest)).Failed();

        // kubectl prints the Status's details (kind, name, causes); the message itself is checked in CelRuleTests.
        Assert.Contains("The Generation \"g1\" is invalid: spec: Invalid value: \"object\": set at most one of parent or base", result.Stderr);
    }

    [KubectlFact]
    public async Task Server_dry_run_validates_and_defaults_but_stores_nothing()
    {
        await Kubectl.RunAsync("apply", "-f", Example("00-namespace.yaml"));
        var before = Server.ResourceVersion;

        var result = (await Kubectl.RunAsync("apply", "--dry-run=server", "-o", "json", "-f", Manifest("g.yaml", Generation("g1")))).Succeeded();

        var shown = JsonDocument.Parse(result.Stdout).RootElement;
        Assert.Equal(500, shown.GetProperty("spec").GetProperty("evaluation").GetProperty("problems").GetInt32());
        Assert.Equal(before, Server.ResourceVersion);
        Assert.Equal(404, await StatusOf(() => GenerationJson("g1")));
        var refused = (await Kubectl.RunAsync("apply", "--dry-run=server", "-f", Manifest("bad.yaml", Generation("g2", source: "parent: ''")))).Failed();
        Assert.Contains("spec: Invalid value: \"object\": parent must not be empty", refused.Stderr);
    }

    [KubectlFact]
    public async Task Server_side_apply_creates_then_updates_and_records_kubectl_as_the_field_manager()
    {
        await Kubectl.RunAsync("apply", "-f", Example("00-namespace.yaml"));
        var manifest = Manifest("g.yaml", Generation("g1"));

        File.WriteAllText(manifest, Generation("g1", "  promotion:\n    minScore: 0.3\n"));
        Assert.Contains("serverside-applied", (await Kubectl.RunAsync("apply", "--server-side", "-f", manifest)).Succeeded().Stdout);
        Assert.Equal(0.3, (await GenerationJson("g1")).GetProperty("spec").GetProperty("promotion").GetProperty("minScore").GetDouble());
        // The file changes one field and drops another: the dropped field goes (back to its default).
        File.WriteAllText(manifest, Generation("g1").Replace("lineage: math", "lineage: algebra"));
        (await Kubectl.RunAsync("apply", "--server-side", "-f", manifest)).Succeeded();

        var generation = await GenerationJson("g1");
        Assert.Equal("algebra", generation.GetProperty("spec").GetProperty("lineage").GetString());
        Assert.False(generation.GetProperty("spec").TryGetProperty("promotion", out var promotion) && promotion.TryGetProperty("minScore", out var kept) && kept.GetDouble() == 0.3,
            "a field dropped from the applied configuration must be removed");
        var managers = generation.GetProperty("metadata").GetProperty("managedFields").EnumerateArray()
            .Select(e => (e.GetProperty("manager").GetString(), e.GetProperty("operation").GetString())).ToList();
        Assert.Contains(("kubectl", "Apply"), managers);
    }

    [KubectlFact]
    public async Task Delete_removes_the_object_and_cascades_to_what_it_owns()
    {
        await Kubectl.RunAsync("apply", "-f", Example("00-namespace.yaml"));
        (await Kubectl.RunAsync("apply", "-f", Manifest("g.yaml", Generation("g1")))).Succeeded();
        var owner = await GenerationJson("g1");
        await Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap
        {
            Metadata = new V1ObjectMeta
            {
                Name = "g1-config",
                OwnerReferences = [new V1OwnerReference { ApiVersion = "lineage.dev/v1alpha1", Kind = "Generation", Name = "g1", Uid = owner.GetProperty("metadata").GetProperty("uid").GetString()!, Controller = true }],
            },
        }, "ml");

        Assert.Contains("generation.lineage.dev \"g1\" deleted", (await Kubectl.RunAsync("delete", "gen", "g1", "-n", "ml")).Succeeded().Stdout);

        Assert.Equal(404, await StatusOf(() => GenerationJson("g1")));
        Assert.Equal(404, await StatusOf(() => Client.CoreV1.ReadNamespacedConfigMapAsync("g1-config", "ml")));
    }

    internal static async Task<int> StatusOf(Func<Task> call)
    {
        var error = await Assert.ThrowsAsync<k8s.Autorest.HttpOperationException>(call);
        return (int)error.Response.StatusCode;
    }
}
