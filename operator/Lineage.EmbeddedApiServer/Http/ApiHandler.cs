using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Lineage.EmbeddedApiServer.Control;
using Lineage.EmbeddedApiServer.Storage;
using Lineage.EmbeddedApiServer.Yaml;
using Microsoft.AspNetCore.Http;

namespace Lineage.EmbeddedApiServer.Http;

/// <summary>Turns HTTP requests into store operations, the way kube-apiserver's REST handlers do.</summary>
internal sealed class ApiHandler(ObjectStore store, RequestLog log, FaultInjector faults, EmbeddedApiServerOptions options, PodLogs podLogs)
{
    private const string CreatedName = "lineage.created-name";

    public async Task Handle(HttpContext context)
    {
        var request = context.Request;
        var pathAndQuery = request.Path + request.QueryString;
        var target = Resolve(request.Path);
        var verb = target is null ? "other" : Verb(request, target);
        var client = Fields.ManagedFields.ManagerOf(null, request.Headers.UserAgent);
        var userAgent = request.Headers.UserAgent.ToString();
        var record = new RequestRecord(verb, request.Method, pathAndQuery, target?.Type.Group ?? "", target?.Type.Plural ?? "",
            target?.Subresource, target?.Namespace, target?.Name, 0, client, userAgent, DateTimeOffset.UtcNow);
        var traffic = log.Traffic(client);
        var kind = $"{verb} {record.Resource}{(record.Subresource is null ? "" : "/" + record.Subresource)}";
        request.Body = new CountingStream(request.Body, traffic.Sent(kind));
        context.Response.Body = new CountingStream(context.Response.Body, traffic.Received(kind));
        var code = 500;
        var logged = false;
        try
        {
            if (faults.Take(request.Method, pathAndQuery, userAgent) is { } fault)
            {
                record = record with { Fault = fault.Kind };
                if (fault.Delay > TimeSpan.Zero)
                {
                    // A slow server has the request and still does the work when the client has given up (a write is
                    // stored, its answer lost): the body is read in full before the wait.
                    request.EnableBuffering();
                    await request.Body.CopyToAsync(Stream.Null).ConfigureAwait(false);
                    request.Body.Position = 0;
                    await Task.Delay(fault.Delay).ConfigureAwait(false);
                }
                if (fault.StatusCode is { } injected)
                {
                    code = injected;
                    // kube-apiserver's 429 (max-in-flight, API priority and fairness) carries Retry-After; clients wait that long.
                    if (fault.RetryAfterSeconds is { } seconds) context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                    await Responses.Status(context, new ApiException(injected, fault.Reason ?? ApiException.ReasonFor(injected), $"injected failure ({injected}) for {request.Method} {pathAndQuery}"))
                        .ConfigureAwait(false);
                    return;
                }
            }
            if (target is null)
            {
                code = await Discovery.Handle(context, store).ConfigureAwait(false);
                return;
            }
            if (target.Subresource == "log" && target.Type == BuiltInResources.Pods && verb == "get")
            {
                code = await podLogs.Serve(context, target.Namespace!, target.Name!).ConfigureAwait(false);
                return;
            }
            if (target.Subresource == "binding" && target.Type == BuiltInResources.Pods && verb == "create" && target.Name is not null)
            {
                var write = RequestQuery.Write(request, verb);
                store.Bind(target.Namespace!, target.Name, await ObjectBody(context).ConfigureAwait(false), write);
                code = 201;
                await Responses.Json(context, 201, new JsonObject { ["kind"] = "Status", ["apiVersion"] = "v1", ["metadata"] = new JsonObject(), ["status"] = "Success", ["code"] = 201 })
                    .ConfigureAwait(false);
                return;
            }
            if (verb == "watch")
            {
                // A watch is logged when its stream opens, not when it ends minutes later.
                await Watch(context, target, () =>
                {
                    log.Add(record with { StatusCode = 200, Finished = DateTimeOffset.UtcNow });
                    logged = true;
                }).ConfigureAwait(false);
                return;
            }
            code = await Serve(context, target, verb).ConfigureAwait(false);
        }
        catch (ApiException error)
        {
            code = error.Code;
            await Responses.Status(context, error).ConfigureAwait(false);
        }
        catch (Exception error) when (error is JsonException or FormatException or InvalidOperationException or YamlDotNet.Core.YamlException)
        {
            code = 400;
            await Responses.Status(context, ApiException.BadRequest($"the request body could not be decoded: {error.Message}")).ConfigureAwait(false);
        }
        catch (Exception error) when (!context.RequestAborted.IsCancellationRequested && !context.Response.HasStarted)
        {
            // A bug in this server: answer as kube-apiserver does for internal errors, with the cause.
            code = 500;
            await Responses.Status(context, new ApiException(500, "InternalError", $"Internal error occurred: {error}")).ConfigureAwait(false);
        }
        finally
        {
            // A create stored whose answer could not be sent (the client went away) is logged as the 201 it was.
            if (context.RequestAborted.IsCancellationRequested && context.Items.ContainsKey(CreatedName)) code = 201;
            // A create names its object in the body, not the path: the log takes the stored name.
            if (!logged) log.Add(record with { StatusCode = code, Finished = DateTimeOffset.UtcNow, Name = record.Name ?? context.Items[CreatedName] as string });
        }
    }

    private ResourcePath? Resolve(PathString path)
    {
        var parts = ResourcePath.GroupVersion(path.Value ?? "");
        return parts is { } p ? ResourcePath.Parse(p.Group, p.Version, p.Tail, store.FindType) : null;
    }

    private static string Verb(HttpRequest request, ResourcePath target) => request.Method switch
    {
        "GET" when RequestQuery.IsWatch(request) => "watch",
        "GET" => target.Name is null ? "list" : "get",
        "POST" => "create",
        "PUT" => "update",
        "PATCH" => "patch",
        "DELETE" => target.Name is null ? "deletecollection" : "delete",
        _ => "other",
    };

    private async Task<int> Serve(HttpContext context, ResourcePath target, string verb)
    {
        var type = target.Type;
        if (target.Subresource is not null && !(target.IsStatus && type.HasStatus))
            throw ApiException.UnknownResource(context.Request.Path);
        var write = RequestQuery.Write(context.Request, verb);
        if (target.Name is null && verb is "update" or "patch" || target.Name is not null && verb == "create")
            throw new ApiException(405, "MethodNotAllowed", "the server does not allow this method on the requested resource");
        if (target.Namespace is null && type.Namespaced && verb is "create" or "deletecollection")
            throw new ApiException(405, "MethodNotAllowed", "the server does not allow this method on the requested resource");

        switch (verb)
        {
            case "get":
                var one = store.Get(type, target.Namespace, target.Name!);
                if (!TableView.Wanted(context.Request)) return await Reply(context, 200, one, write).ConfigureAwait(false);
                await Responses.Json(context, 200, TableView.Render(type, [one], one.ResourceVersion)).ConfigureAwait(false);
                return 200;
            case "list":
                var request = context.Request;
                var page = store.List(type, RequestQuery.Filter(request, target), RequestQuery.Int(request, "limit"),
                    ListContinuation.Decode(request.Query["continue"]));
                if (TableView.Wanted(request))
                {
                    var table = TableView.Render(type, page.Items, page.ResourceVersion);
                    if (page.Continue is not null) table["metadata"]!["continue"] = page.Continue.Encode();
                    await Responses.Json(context, 200, table).ConfigureAwait(false);
                }
                else await Responses.Json(context, 200, Responses.List(type, page)).ConfigureAwait(false);
                return 200;
            case "create":
                var created = store.Create(type, target.Namespace, await ObjectBody(context).ConfigureAwait(false), write);
                context.Items[CreatedName] = created.Name;
                return await Reply(context, 201, created, write).ConfigureAwait(false);
            case "update":
                var replaced = store.Replace(type, target.Namespace, target.Name!, await ObjectBody(context).ConfigureAwait(false), target.IsStatus, write);
                return await Reply(context, 200, replaced, write).ConfigureAwait(false);
            case "patch":
                var (kind, patch) = await PatchBody(context).ConfigureAwait(false);
                if (kind == PatchKind.Apply && string.IsNullOrEmpty(context.Request.Query["fieldManager"]))
                    throw new ApiException(422, "Invalid", "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch");
                var existed = store.TryGet(type, target.Namespace, target.Name!) is not null;
                var patched = store.Patch(type, target.Namespace, target.Name!, kind, patch, target.IsStatus, write);
                return await Reply(context, existed ? 200 : 201, patched, write).ConfigureAwait(false);
            case "delete":
                var options = RequestQuery.DeleteOptions(context.Request, await OptionalBody(context).ConfigureAwait(false));
                var (obj, removed) = store.Delete(type, target.Namespace, target.Name!, options, write);
                if (removed && !type.ReturnsObjectOnDelete)
                {
                    await Responses.Json(context, 200, Responses.Success(type, obj)).ConfigureAwait(false);
                    return 200;
                }
                return await Reply(context, 200, obj, write).ConfigureAwait(false);
            case "deletecollection":
                var filter = RequestQuery.Filter(context.Request, target);
                var deleteOptions = RequestQuery.DeleteOptions(context.Request, await OptionalBody(context).ConfigureAwait(false));
                var deleted = store.DeleteCollection(type, filter, deleteOptions, write);
                await Responses.Json(context, 200, Responses.List(type, new ListPage(deleted, store.CurrentResourceVersion, null, null))).ConfigureAwait(false);
                return 200;
            default:
                throw new ApiException(405, "MethodNotAllowed", $"the server does not allow method {context.Request.Method}");
        }
    }

    private async Task Watch(HttpContext context, ResourcePath target, Action opened)
    {
        var request = context.Request;
        var bookmarks = RequestQuery.Flag(request, "allowWatchBookmarks");
        var subscription = store.Watch(target.Type, RequestQuery.Filter(request, target), request.Query["resourceVersion"],
            initialEventsEndBookmark: bookmarks && RequestQuery.Flag(request, "sendInitialEvents"));
        var timeout = RequestQuery.Int(request, "timeoutSeconds") is > 0 and var seconds ? TimeSpan.FromSeconds(seconds) : (TimeSpan?)null;
        opened();
        Func<WatchFrame, byte[]> render = TableView.Wanted(request) ? frame => TableView.WatchLine(target.Type, frame) : frame => frame.ToLine();
        await WatchStream.Run(context, store, subscription, bookmarks ? options.BookmarkInterval : null, timeout, render).ConfigureAwait(false);
    }

    private static async Task<int> Reply(HttpContext context, int code, StoredObject obj, WriteRequest write)
    {
        foreach (var warning in write.Warnings.Distinct())
            context.Response.Headers.Append("Warning", $"299 - \"{warning.Replace("\\", "\\\\").Replace("\"", "\\\"")}\"");
        await Responses.Json(context, code, obj.Utf8).ConfigureAwait(false);
        return code;
    }

    private static async Task<JsonObject> ObjectBody(HttpContext context) =>
        await OptionalBody(context).ConfigureAwait(false) as JsonObject
        ?? throw ApiException.BadRequest("the request body must be a JSON object");

    private static async Task<JsonNode?> OptionalBody(HttpContext context)
    {
        var text = await ReadText(context).ConfigureAwait(false);
        return string.IsNullOrWhiteSpace(text) ? null : JsonNode.Parse(text);
    }

    private static async Task<(PatchKind Kind, JsonNode? Patch)> PatchBody(HttpContext context)
    {
        var mediaType = (context.Request.ContentType ?? "").Split(';')[0].Trim();
        var kind = mediaType switch
        {
            "application/merge-patch+json" => PatchKind.Merge,
            "application/strategic-merge-patch+json" => PatchKind.StrategicMerge,
            "application/json-patch+json" => PatchKind.Json,
            "application/apply-patch+yaml" => PatchKind.Apply,
            _ => throw new ApiException(415, "UnsupportedMediaType", $"the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml (got \"{mediaType}\")"),
        };
        var text = await ReadText(context).ConfigureAwait(false);
        var patch = kind == PatchKind.Apply ? YamlDocuments.Parse(text).FirstOrDefault() : JsonNode.Parse(text);
        return (kind, patch);
    }

    private static async Task<string> ReadText(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        // A body buffered already (a delayed request) is read from memory even if the client has gone since.
        return await reader.ReadToEndAsync(context.Request.Body.CanSeek ? CancellationToken.None : context.RequestAborted).ConfigureAwait(false);
    }
}
