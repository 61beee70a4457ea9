using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Lineage.EmbeddedApiServer.Tests;

/// <summary>
/// Validation ratcheting (CRDValidationRatcheting, GA in kube-apiserver v1.33): an update may leave alone a value that
/// the CRD's current schema refuses, but not change it. Each test stores a Sprocket under a loose schema, tightens the
/// CRD, then updates the object over real HTTP.
/// </summary>
public sealed class RatchetingTests : ServerTest
{
    private const string Crds = "apis/apiextensions.k8s.io/v1/customresourcedefinitions";
    private const string Sprockets = "apis/test.lineage.dev/v1/namespaces/default/sprockets";

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var (status, body, _) = await Send(HttpMethod.Post, Crds, Crd(strict: false).ToJsonString());
        Assert.True(status == HttpStatusCode.Created, body);
    }

    /// <summary>The loose schema, or the strict one: size ≤ 10, names start with a, limits.cpu ≤ 4, tags ≤ 3 chars, ports ≤ 65535.</summary>
    private static JsonObject Crd(bool strict)
    {
        JsonObject Strict(JsonObject loose, JsonObject extra)
        {
            if (strict) foreach (var (key, value) in extra) loose[key] = value!.DeepClone();
            return loose;
        }
        var spec = new JsonObject
        {
            ["type"] = "object",
            ["properties"] = new JsonObject
            {
                ["note"] = new JsonObject { ["type"] = "string" },
                ["size"] = Strict(new JsonObject { ["type"] = "integer" }, new JsonObject { ["maximum"] = 10 }),
                ["name"] = Strict(new JsonObject { ["type"] = "string" }, new JsonObject
                {
                    ["x-kubernetes-validations"] = new JsonArray(new JsonObject { ["rule"] = "self.startsWith('a')", ["message"] = "name must start with a" }),
                }),
                ["revision"] = new JsonObject
                {
                    ["type"] = "integer",
                    ["x-kubernetes-validations"] = new JsonArray(new JsonObject { ["rule"] = "self >= oldSelf", ["message"] = "revision may not decrease" }),
                },
                ["limits"] = Strict(new JsonObject
                {
                    ["type"] = "object",
                    ["properties"] = new JsonObject { ["cpu"] = new JsonObject { ["type"] = "integer" }, ["memo"] = new JsonObject { ["type"] = "string" } },
                }, new JsonObject
                {
                    ["x-kubernetes-validations"] = new JsonArray(new JsonObject { ["rule"] = "!has(self.cpu) || self.cpu <= 4", ["message"] = "cpu must not exceed 4" }),
                }),
                ["tags"] = new JsonObject
                {
                    ["type"] = "array",
                    ["x-kubernetes-list-type"] = "atomic",
                    ["items"] = Strict(new JsonObject { ["type"] = "string" }, new JsonObject { ["maxLength"] = 3 }),
                },
                ["ports"] = new JsonObject
                {
                    ["type"] = "array",
                    ["x-kubernetes-list-type"] = "map",
                    ["x-kubernetes-list-map-keys"] = new JsonArray("name"),
                    ["items"] = new JsonObject
                    {
                        ["type"] = "object",
                        ["required"] = new JsonArray("name"),
                        ["properties"] = new JsonObject
                        {
                            ["name"] = new JsonObject { ["type"] = "string" },
                            ["port"] = Strict(new JsonObject { ["type"] = "integer" }, new JsonObject { ["maximum"] = 65535 }),
                        },
                    },
                },
            },
        };
        var schema = new JsonObject
        {
            ["type"] = "object",
            ["properties"] = new JsonObject
            {
                ["spec"] = spec,
                ["status"] = new JsonObject { ["type"] = "object", ["properties"] = new JsonObject { ["phase"] = new JsonObject { ["type"] = "string" } } },
            },
        };
        return new JsonObject
        {
            ["apiVersion"] = "apiextensions.k8s.io/v1",
            ["kind"] = "CustomResourceDefinition",
            ["metadata"] = new JsonObject { ["name"] = "sprockets.test.lineage.dev" },
            ["spec"] = new JsonObject
            {
                ["group"] = "test.lineage.dev",
                ["scope"] = "Namespaced",
                ["names"] = new JsonObject { ["plural"] = "sprockets", ["singular"] = "sprocket", ["kind"] = "Sprocket", ["listKind"] = "SprocketList" },
                ["versions"] = new JsonArray(new JsonObject
                {
                    ["name"] = "v1",
                    ["served"] = true,
                    ["storage"] = true,
                    ["subresources"] = new JsonObject { ["status"] = new JsonObject() },
                    ["schema"] = new JsonObject { ["openAPIV3Schema"] = schema },
                }),
            },
        };
    }

    private async Task<(HttpStatusCode Status, string Body, IReadOnlyList<string> Warnings)> Send(HttpMethod method, string path, string body,
        string contentType = "application/json")
    {
        using var http = new HttpClient { BaseAddress = Server.Url };
        using var request = new HttpRequestMessage(method, path) { Content = new StringContent(body, Encoding.UTF8, contentType) };
        using var response = await http.SendAsync(request);
        var warnings = response.Headers.TryGetValues("Warning", out var values) ? values.ToList() : [];
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), warnings);
    }

    private async Task StoreThenTighten(string spec)
    {
        var (status, body, _) = await Send(HttpMethod.Post, Sprockets,
            $$"""{"apiVersion":"test.lineage.dev/v1","kind":"Sprocket","metadata":{"name":"s"},"spec":{{spec}}}""");
        Assert.True(status == HttpStatusCode.Created, body);
        var tighten = new JsonObject { ["spec"] = new JsonObject { ["versions"] = Crd(strict: true)["spec"]!["versions"]!.DeepClone() } };
        (status, body, _) = await Send(HttpMethod.Patch, $"{Crds}/sprockets.test.lineage.dev", tighten.ToJsonString(), "application/merge-patch+json");
        Assert.True(status == HttpStatusCode.OK, body);
    }

    private Task<(HttpStatusCode Status, string Body, IReadOnlyList<string> Warnings)> PatchSpec(string spec) =>
        Send(HttpMethod.Patch, $"{Sprockets}/s", $$"""{"spec":{{spec}}}""", "application/merge-patch+json");

    private static string Message(string body) => JsonNode.Parse(body)!["message"]!.GetValue<string>();

    [Fact]
    public async Task A_value_invalid_under_the_new_schema_stays_updatable_while_unchanged_and_is_refused_once_changed()
    {
        await StoreThenTighten("""{"size":50,"note":"x"}""");

        var (status, body, _) = await PatchSpec("""{"note":"y"}""");
        Assert.True(status == HttpStatusCode.OK, body);

        // A PUT of the whole object and a status write leave size alone too.
        var stored = JsonNode.Parse(body)!.AsObject();
        stored["metadata"]!["labels"] = new JsonObject { ["team"] = "a" };
        (status, body, _) = await Send(HttpMethod.Put, $"{Sprockets}/s", stored.ToJsonString());
        Assert.True(status == HttpStatusCode.OK, body);
        (status, body, _) = await Send(HttpMethod.Patch, $"{Sprockets}/s/status", """{"status":{"phase":"Running"}}""", "application/merge-patch+json");
        Assert.True(status == HttpStatusCode.OK, body);

        (status, body, _) = await PatchSpec("""{"size":60}""");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Equal("Sprocket.test.lineage.dev \"s\" is invalid: spec.size: Invalid value: 60: spec.size in body should be less than or equal to 10", Message(body));
    }

    [Fact]
    public async Task A_rule_failing_on_an_unchanged_value_is_a_warning_and_on_a_changed_value_a_refusal()
    {
        await StoreThenTighten("""{"name":"bob"}""");

        for (var write = 0; write < 2; write++)
        {
            // Every write warns: an object accepted with a forgiven failure is not taken for a valid one.
            var (status, body, warnings) = await PatchSpec($$"""{"note":"n{{write}}"}""");
            Assert.True(status == HttpStatusCode.OK, body);
            Assert.Equal(["299 - \"spec.name: Invalid value: \\\"string\\\": name must start with a\""], warnings);
        }

        var (refused, refusal, _) = await PatchSpec("""{"name":"bill"}""");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused);
        Assert.Equal("Sprocket.test.lineage.dev \"s\" is invalid: spec.name: Invalid value: \"string\": name must start with a", Message(refusal));

        var (fixedStatus, fixedBody, fixedWarnings) = await PatchSpec("""{"name":"alice"}""");
        Assert.True(fixedStatus == HttpStatusCode.OK, fixedBody);
        Assert.Empty(fixedWarnings);
        var (_, _, after) = await PatchSpec("""{"note":"valid now"}""");
        Assert.Empty(after);
    }

    [Fact]
    public async Task A_rule_on_an_object_runs_when_anything_under_it_changes()
    {
        await StoreThenTighten("""{"limits":{"cpu":8,"memo":"a"}}""");

        var (status, body, _) = await PatchSpec("""{"note":"elsewhere"}""");
        Assert.True(status == HttpStatusCode.OK, body);

        (status, body, _) = await PatchSpec("""{"limits":{"memo":"b"}}""");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Equal("Sprocket.test.lineage.dev \"s\" is invalid: spec.limits: Invalid value: \"object\": cpu must not exceed 4", Message(body));
    }

    [Fact]
    public async Task An_atomic_list_is_unchanged_only_as_a_whole_so_changing_one_item_revalidates_the_others()
    {
        await StoreThenTighten("""{"tags":["long"]}""");

        var (status, body, _) = await PatchSpec("""{"note":"tags untouched"}""");
        Assert.True(status == HttpStatusCode.OK, body);

        (status, body, _) = await PatchSpec("""{"tags":["long","b"]}""");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Contains("spec.tags[0]: Too long: may not be more than 3 bytes", Message(body));
    }

    [Fact]
    public async Task Items_of_a_map_list_are_compared_with_the_stored_item_of_the_same_key()
    {
        await StoreThenTighten("""{"ports":[{"name":"a","port":70000},{"name":"b","port":1}]}""");

        // a moved and kept its value; b changed and is valid.
        var (status, body, _) = await PatchSpec("""{"ports":[{"name":"b","port":2},{"name":"a","port":70000}]}""");
        Assert.True(status == HttpStatusCode.OK, body);

        (status, body, _) = await PatchSpec("""{"ports":[{"name":"b","port":2},{"name":"a","port":70001}]}""");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Equal("Sprocket.test.lineage.dev \"s\" is invalid: spec.ports[1].port: Invalid value: 70001: spec.ports[1].port in body should be less than or equal to 65535", Message(body));
    }

    [Fact]
    public async Task A_transition_rule_runs_on_updates_only_and_is_never_ratcheted()
    {
        await StoreThenTighten("""{"revision":5}""");

        var (status, body, _) = await PatchSpec("""{"revision":6}""");
        Assert.True(status == HttpStatusCode.OK, body);

        (status, body, _) = await PatchSpec("""{"revision":4}""");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Equal("Sprocket.test.lineage.dev \"s\" is invalid: spec.revision: Invalid value: \"integer\": revision may not decrease", Message(body));
    }

    [Fact]
    public void Unchanged_values_of_an_object_that_satisfied_this_very_schema_are_not_checked_again()
    {
        // A rule that fails on the stored value: only skipping it can leave no trace. The server trusts the stored object
        // only when it was accepted in full under the same schema instance, so the rule could not fail then.
        var schema = JsonNode.Parse("""
            {"type":"object","properties":{"spec":{"type":"object","properties":{
              "name":{"type":"string","maxLength":1,"x-kubernetes-validations":[{"rule":"self.startsWith('a')"}]},
              "note":{"type":"string"}}}}}
            """)!.AsObject();
        var stored = JsonNode.Parse("""{"spec":{"name":"bob","note":"x"}}""")!.AsObject();
        JsonObject Update() => JsonNode.Parse("""{"spec":{"name":"bob","note":"y"}}""")!.AsObject();

        var trusted = Schemas.Schema.Apply(Update(), schema, stored, storedIsValid: true);
        var checkedAgain = Schemas.Schema.Apply(Update(), schema, stored, storedIsValid: false);

        Assert.Equal((0, 0, true), (trusted.Errors.Count, trusted.Warnings.Count, trusted.Valid));
        Assert.Empty(checkedAgain.Errors);
        Assert.Equal(["spec.name: Invalid value: \"string\": failed rule: self.startsWith('a')"], checkedAgain.Warnings);
        Assert.False(checkedAgain.Valid);
    }

    [Fact]
    public void A_status_write_named_as_such_checks_its_status_and_ratchets_the_stored_rest()
    {
        // The server builds a status write's object from the stored one and the new status, and says so (onlyChanged):
        // the rest is then taken for the stored values, as the comparison would find, with the same ratcheting.
        var schema = JsonNode.Parse("""
            {"type":"object","properties":{
              "spec":{"type":"object","properties":{"name":{"type":"string","x-kubernetes-validations":[{"rule":"self.startsWith('a')"}]}}},
              "status":{"type":"object","properties":{"phase":{"type":"string","enum":["Running","Done"]}}}}}
            """)!.AsObject();
        var stored = JsonNode.Parse("""{"spec":{"name":"bob"},"status":{"phase":"Running"}}""")!.AsObject();
        JsonObject StatusWrite(string phase) => JsonNode.Parse($$$"""{"spec":{"name":"bob"},"status":{"phase":"{{{phase}}}"}}""")!.AsObject();

        var forgiven = Schemas.Schema.Apply(StatusWrite("Done"), schema, stored, storedIsValid: false, onlyChanged: "status");
        var trusted = Schemas.Schema.Apply(StatusWrite("Done"), schema, stored, storedIsValid: true, onlyChanged: "status");
        var refused = Schemas.Schema.Apply(StatusWrite("Lost"), schema, stored, storedIsValid: true, onlyChanged: "status");

        Assert.Empty(forgiven.Errors);
        Assert.Equal(["spec.name: Invalid value: \"string\": failed rule: self.startsWith('a')"], forgiven.Warnings);
        Assert.False(forgiven.Valid);
        Assert.Equal((0, 0, true), (trusted.Errors.Count, trusted.Warnings.Count, trusted.Valid));
        Assert.Equal(["status.phase: Unsupported value: \"Lost\": supported values: \"Running\", \"Done\"", Schemas.Schema.RulesNotChecked], refused.Errors);
    }

    [Fact]
    public void A_rule_that_held_for_a_value_is_evaluated_again_for_another_value()
    {
        // Passes are remembered by schema node, rule and value: the next object with the same part skips the rule, but
        // a different value is evaluated, and a failure is never remembered.
        var integers = JsonNode.Parse("""
            {"type":"object","properties":{"spec":{"type":"object","properties":{"n":{"type":"integer"}},
              "x-kubernetes-validations":[{"rule":"self.n == 3","message":"n must be 3"}]}}}
            """)!.AsObject();
        JsonObject Object(string n) => JsonNode.Parse($$$"""{"spec":{"n":{{{n}}}}}""")!.AsObject();

        Assert.Empty(Schemas.Schema.Apply(Object("3"), integers).Errors);
        Assert.Empty(Schemas.Schema.Apply(Object("3"), integers).Errors);
        Assert.Equal(["spec: Invalid value: \"object\": n must be 3"], Schemas.Schema.Apply(Object("4"), integers).Errors);
        Assert.Empty(Schemas.Schema.Apply(Object("3"), integers).Errors);
        Assert.Equal(["spec: Invalid value: \"object\": n must be 3"], Schemas.Schema.Apply(Object("4"), integers).Errors);
    }
}
