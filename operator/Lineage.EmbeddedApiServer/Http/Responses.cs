using System.Text;
using System.Text.Json.Nodes;
using Lineage.EmbeddedApiServer.Storage;
using Microsoft.AspNetCore.Http;

namespace Lineage.EmbeddedApiServer.Http;

/// <summary>Writing JSON bodies: objects, lists and Status.</summary>
internal static class Responses
{
    public static async Task Json(HttpContext context, int code, byte[] utf8)
    {
        context.Response.StatusCode = code;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = utf8.Length;
        await context.Response.Body.WriteAsync(utf8, context.RequestAborted).ConfigureAwait(false);
    }

    public static Task Json(HttpContext context, int code, JsonNode body) => Json(context, code, JsonText.ToUtf8(body));

    public static Task Status(HttpContext context, ApiException error) => Json(context, error.Code, error.ToStatus());

    public static JsonObject Success(ResourceType type, StoredObject obj) => new()
    {
        ["kind"] = "Status",
        ["apiVersion"] = "v1",
        ["metadata"] = new JsonObject(),
        ["status"] = "Success",
        ["details"] = new JsonObject { ["name"] = obj.Name, ["group"] = type.Group, ["kind"] = type.Plural, ["uid"] = obj.Uid },
    };

    /// <summary>A list body assembled from the items' stored bytes, without re-serialising them.</summary>
    public static byte[] List(ResourceType type, ListPage page)
    {
        var meta = new JsonObject { ["resourceVersion"] = page.ResourceVersion.ToString() };
        if (page.Continue is not null)
        {
            meta["continue"] = page.Continue.Encode();
            meta["remainingItemCount"] = page.RemainingItemCount;
        }
        var head = Encoding.UTF8.GetBytes(
            $"{{\"kind\":\"{type.ListKind}\",\"apiVersion\":\"{type.ApiVersion}\",\"metadata\":{meta.ToJsonString()},\"items\":[");
        using var buffer = new MemoryStream(head.Length + page.Items.Sum(i => i.Utf8.Length + 1) + 2);
        buffer.Write(head);
        for (var i = 0; i < page.Items.Count; i++)
        {
            if (i > 0) buffer.WriteByte((byte)',');
            buffer.Write(page.Items[i].Utf8);
        }
        buffer.Write("]}"u8);
        return buffer.ToArray();
    }
}
