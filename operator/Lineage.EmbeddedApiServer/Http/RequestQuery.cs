using System.Text.Json.Nodes;
using Lineage.EmbeddedApiServer.Selectors;
using Lineage.EmbeddedApiServer.Storage;
using Microsoft.AspNetCore.Http;

namespace Lineage.EmbeddedApiServer.Http;

/// <summary>The query parameters of list, watch and delete requests.</summary>
internal static class RequestQuery
{
    public static bool IsWatch(HttpRequest request) => request.Query["watch"].ToString() is "true" or "1" or "True";

    public static WatchFilter Filter(HttpRequest request, ResourcePath path)
    {
        var fields = request.Query["fieldSelector"].ToString();
        // A watch or list on an item URL is a watch on that one object.
        if (path.Name is not null) fields = string.IsNullOrEmpty(fields) ? $"metadata.name={path.Name}" : $"{fields},metadata.name={path.Name}";
        return new WatchFilter(path.Namespace, LabelSelector.Parse(request.Query["labelSelector"]), FieldSelector.Parse(fields).SupportedBy(path.Type));
    }

    public static int? Int(HttpRequest request, string name)
    {
        var text = request.Query[name].ToString();
        if (text.Length == 0) return null;
        return int.TryParse(text, out var value) ? value : throw ApiException.BadRequest($"invalid {name} \"{text}\": not an integer");
    }

    /// <summary>The options of a write: dryRun, fieldManager (else the User-Agent), fieldValidation.</summary>
    public static WriteRequest Write(HttpRequest request, string verb)
    {
        var dryRun = request.Query["dryRun"].ToString();
        if (dryRun is not ("" or "All"))
            throw ApiException.BadRequest($"Invalid dry run value: dryRun: Unsupported value: \"{dryRun}\": supported values: \"All\"");
        var validation = request.Query["fieldValidation"].ToString() switch
        {
            "" or "Warn" => FieldValidation.Warn,
            "Strict" => FieldValidation.Strict,
            "Ignore" => FieldValidation.Ignore,
            var other => throw ApiException.BadRequest($"fieldValidation: Unsupported value: \"{other}\": supported values: \"Ignore\", \"Strict\", \"Warn\""),
        };
        return new WriteRequest
        {
            DryRun = dryRun == "All",
            FieldManager = Fields.ManagedFields.ManagerOf(request.Query["fieldManager"], request.Headers.UserAgent),
            Validation = validation,
        };
    }

    public static bool Flag(HttpRequest request, string name) => request.Query[name].ToString() is "true" or "1" or "True";

    /// <summary>Delete options from the query and from a DeleteOptions body (either may be absent).</summary>
    public static DeleteOptions DeleteOptions(HttpRequest request, JsonNode? body)
    {
        var policy = body?["propagationPolicy"]?.GetValue<string>() ?? request.Query["propagationPolicy"].ToString();
        var orphan = body?["orphanDependents"] is JsonValue o && o.TryGetValue<bool>(out var orphanDependents) ? orphanDependents
            : request.Query["orphanDependents"].ToString() is "true" ? true : (bool?)null;
        var propagation = policy switch
        {
            "Orphan" => Propagation.Orphan,
            "Foreground" => Propagation.Foreground,
            "Background" => Propagation.Background,
            "" or null => orphan == true ? Propagation.Orphan : Propagation.Background,
            _ => throw ApiException.BadRequest($"invalid propagationPolicy \"{policy}\": must be Orphan, Background or Foreground"),
        };
        var preconditions = body?["preconditions"] as JsonObject;
        return new DeleteOptions(propagation,
            preconditions?["uid"]?.GetValue<string>(),
            preconditions?["resourceVersion"]?.GetValue<string>());
    }
}
