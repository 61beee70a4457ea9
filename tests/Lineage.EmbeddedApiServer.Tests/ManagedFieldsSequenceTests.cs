using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Lineage.EmbeddedApiServer.Tests;

/// <summary>
/// managedFields after a sequence of writes by several managers (creates, PUT and PATCH of the object and of its status,
/// server-side apply, keyed lists gaining, changing and losing items). The expected entries are what the server
/// wrote before field sets were computed per subresource (commit 64e66b4), times left out: the cheaper bookkeeping
/// must give the same answer.
/// </summary>
public sealed class ManagedFieldsSequenceTests : ServerTest
{
    private const string Widgets = "apis/test.lineage.dev/v1/namespaces/default/widgets";

    private async Task<JsonObject> Send(HttpMethod method, string path, string body, string manager, string contentType = "application/merge-patch+json")
    {
        using var http = new HttpClient { BaseAddress = Server.Url };
        using var request = new HttpRequestMessage(method, $"{path}?fieldManager={manager}") { Content = new StringContent(body, Encoding.UTF8, contentType) };
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Created, text);
        return JsonNode.Parse(text)!.AsObject();
    }

    [Fact]
    public async Task Managed_fields_after_a_sequence_of_writes_are_those_the_server_always_wrote()
    {
        await Send(HttpMethod.Post, Widgets, """
            {"apiVersion":"test.lineage.dev/v1","kind":"Widget","metadata":{"name":"w","labels":{"a":"1","b":"2"},"finalizers":["x/y"]},
             "spec":{"size":1,"parts":[{"name":"p","qty":1},{"name":"q","qty":2}],"tags":["t"]}}
            """, "creator", "application/json");
        await Send(HttpMethod.Patch, $"{Widgets}/w/status", """{"status":{"phase":"Running","conditions":[{"type":"Ready","status":"False"}]}}""", "player");
        var current = await Send(HttpMethod.Patch, $"{Widgets}/w", """{"metadata":{"labels":{"b":null,"c":"3"}},"spec":{"parts":[{"name":"p","qty":5}]}}""", "labeler");
        current["status"] = JsonNode.Parse("""{"phase":"Running","conditions":[{"type":"Ready","status":"True"},{"type":"Synced","status":"True"}],"count":2}""");
        await Send(HttpMethod.Put, $"{Widgets}/w/status", current.ToJsonString(), "reporter", "application/json");
        await Send(HttpMethod.Patch, $"{Widgets}/w", """
            {"apiVersion":"test.lineage.dev/v1","kind":"Widget","metadata":{"name":"w","annotations":{"note":"n"}},"spec":{"size":3}}
            """, "applier", "application/apply-patch+yaml");
        await Send(HttpMethod.Patch, $"{Widgets}/w/status", """{"status":{"conditions":[{"type":"Ready","status":"True"}],"count":null}}""", "player");
        current = await Send(HttpMethod.Patch, $"{Widgets}/w", """{"metadata":{"finalizers":null,"labels":{"a":null}},"spec":{"tags":["t","u"]}}""", "cleaner");

        var entries = current["metadata"]!["managedFields"]!.AsArray().Select(e =>
        {
            var entry = e!.DeepClone().AsObject();
            entry.Remove("time");
            return entry.ToJsonString();
        });
        Assert.Equal(Expected, entries.ToArray());
    }

    private static readonly string[] Expected =
    [
        """{"manager":"creator","operation":"Update","apiVersion":"test.lineage.dev/v1","fieldsType":"FieldsV1","fieldsV1":{"f:spec":{"f:parts":{"k:{\u0022name\u0022:\u0022p\u0022}":{"f:name":{},".":{}}}}}}""",
        """{"manager":"player","operation":"Update","apiVersion":"test.lineage.dev/v1","fieldsType":"FieldsV1","fieldsV1":{"f:status":{"f:phase":{},"f:conditions":{"k:{\u0022type\u0022:\u0022Ready\u0022}":{"f:type":{},".":{}}}}},"subresource":"status"}""",
        """{"manager":"labeler","operation":"Update","apiVersion":"test.lineage.dev/v1","fieldsType":"FieldsV1","fieldsV1":{"f:spec":{"f:parts":{"k:{\u0022name\u0022:\u0022p\u0022}":{"f:qty":{}}}}}}""",
        """{"manager":"applier","operation":"Apply","apiVersion":"test.lineage.dev/v1","fieldsType":"FieldsV1","fieldsV1":{"f:metadata":{"f:annotations":{"f:note":{}}},"f:spec":{"f:size":{}}}}""",
        """{"manager":"cleaner","operation":"Update","apiVersion":"test.lineage.dev/v1","fieldsType":"FieldsV1","fieldsV1":{"f:metadata":{"f:labels":{}},"f:spec":{"f:tags":{}}}}""",
    ];
}
