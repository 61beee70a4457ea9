using System.Text.Json.Nodes;

namespace Lineage.EmbeddedApiServer.Storage;

/// <summary>
/// A request the server refuses, carried up to the HTTP layer and written as a Kubernetes
/// <c>Status</c> object, because KubernetesClient and operators parse reason and code from it.
/// </summary>
internal sealed class ApiException(int code, string reason, string message, ResourceType? type = null, string? name = null,
    JsonArray? causes = null, string? detailsKind = null) : Exception(message)
{
    public int Code { get; } = code;
    public string Reason { get; } = reason;

    public JsonObject ToStatus()
    {
        var status = Status(Code, Reason, Message, type, name);
        if (status["details"] is JsonObject details)
        {
            if (detailsKind is not null) details["kind"] = detailsKind;
            if (causes is not null) details["causes"] = causes.DeepClone();
        }
        return status;
    }

    public static JsonObject Status(int code, string reason, string message, ResourceType? type = null, string? name = null)
    {
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = message,
            ["reason"] = reason,
            ["code"] = code,
        };
        if (type is not null || name is not null)
        {
            var details = new JsonObject();
            if (name is not null) details["name"] = name;
            if (type is not null)
            {
                details["group"] = type.Group;
                details["kind"] = type.Plural;
            }
            status["details"] = details;
        }
        return status;
    }

    public static ApiException NotFound(ResourceType type, string name) =>
        new(404, "NotFound", $"{type.QualifiedName} \"{name}\" not found", type, name);

    public static ApiException AlreadyExists(ResourceType type, string name) =>
        new(409, "AlreadyExists", $"{type.QualifiedName} \"{name}\" already exists", type, name);

    public static ApiException Conflict(ResourceType type, string name, string why) =>
        new(409, "Conflict", $"Operation cannot be fulfilled on {type.QualifiedName} \"{name}\": {why}", type, name);

    public static ApiException StaleResourceVersion(ResourceType type, string name) =>
        Conflict(type, name, "the object has been modified; please apply your changes to the latest version and try again");

    public static ApiException Invalid(ResourceType type, string name, string field, string why) =>
        Invalid(type, name, [$"{field}: {why}"]);

    /// <summary>
    /// kube-apiserver's 422: the message lists the errors (one as is, several in brackets) and the details carry
    /// the kind and one cause per error, from which kubectl prints <c>The Generation "g1" is invalid: spec: ...</c>.
    /// </summary>
    public static ApiException Invalid(ResourceType type, string name, IReadOnlyList<string> errors)
    {
        var kind = type.Group.Length == 0 ? type.Kind : $"{type.Kind}.{type.Group}";
        var detail = errors.Count == 1 ? errors[0] : $"[{string.Join(", ", errors)}]";
        var causes = new JsonArray(errors.Select(Cause).ToArray());
        return new(422, "Invalid", $"{kind} \"{name}\" is invalid: {detail}", type, name, causes: causes, detailsKind: type.Kind);
    }

    /// <summary>A field error <c>path: body</c> as a StatusCause, its reason from the body's first words as field.ErrorType names them.</summary>
    private static JsonNode Cause(string error)
    {
        var colon = error.IndexOf(": ", StringComparison.Ordinal);
        var (field, body) = colon < 0 ? ("", error) : (error[..colon], error[(colon + 2)..]);
        var reason = body switch
        {
            _ when body.StartsWith("Required value", StringComparison.Ordinal) => "FieldValueRequired",
            _ when body.StartsWith("Unsupported value", StringComparison.Ordinal) => "FieldValueNotSupported",
            _ when body.StartsWith("Forbidden", StringComparison.Ordinal) => "FieldValueForbidden",
            _ when body.StartsWith("Too long", StringComparison.Ordinal) => "FieldValueTooLong",
            _ when body.StartsWith("Too many", StringComparison.Ordinal) => "FieldValueTooMany",
            _ when body.StartsWith("Duplicate value", StringComparison.Ordinal) => "FieldValueDuplicate",
            _ => "FieldValueInvalid",
        };
        return new JsonObject { ["reason"] = reason, ["message"] = body, ["field"] = field };
    }

    /// <summary>kube-apiserver's NamespaceLifecycle admission: no new content in a namespace being deleted.</summary>
    public static ApiException NamespaceTerminating(ResourceType type, string name, string ns) =>
        new(403, "Forbidden", $"{type.QualifiedName} \"{name}\" is forbidden: unable to create new content in namespace {ns} because it is being terminated", type, name,
            new JsonArray(new JsonObject { ["reason"] = "NamespaceTerminating", ["message"] = $"namespace {ns} is being terminated", ["field"] = "metadata.namespace" }));

    public static ApiException BadRequest(string message) => new(400, "BadRequest", message);

    public static ApiException UnknownResource(string path) =>
        new(404, "NotFound", $"the server could not find the requested resource (path {path})");

    public static ApiException Gone(string message) => new(410, "Expired", message);

    /// <summary>The reason the real API server gives for a status code (used by fault injection).</summary>
    public static string ReasonFor(int code) => code switch
    {
        400 => "BadRequest",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "NotFound",
        405 => "MethodNotAllowed",
        409 => "Conflict",
        410 => "Gone",
        422 => "Invalid",
        429 => "TooManyRequests",
        500 => "InternalError",
        503 => "ServiceUnavailable",
        504 => "Timeout",
        _ => "Unknown",
    };
}
