using System.Text;
using Lineage.EmbeddedApiServer.Storage;

namespace Lineage.EmbeddedApiServer.Http;

/// <summary>
/// The OpenAPI v2 document in gnostic's protobuf form (openapi_v2.Document), which kubectl before 1.27 reads:
/// swagger, info, and for each kind a PATCH operation tagged with its group-version-kind and declaring the
/// <c>dryRun</c> and <c>fieldManager</c> query parameters (so <c>--dry-run=server</c> is allowed). No
/// definitions: such a kubectl finds no schema and leaves validation to the server. Field numbers are those of
/// gnostic's OpenAPIv2.proto.
/// </summary>
internal static class OpenApiV2Protobuf
{
    public static byte[] Document(IReadOnlyList<ResourceType> types, string version)
    {
        var paths = types.OrderBy(t => t.ApiVersion, StringComparer.Ordinal).ThenBy(t => t.Plural, StringComparer.Ordinal)
            .Select(type => Message(2, NamedPathItem(type)));
        return Concat(
            Text(1, "2.0"),
            Message(2, Concat(Text(1, "Kubernetes"), Text(2, version))),
            Message(8, Concat(paths.ToArray())));
    }

    private static byte[] NamedPathItem(ResourceType type)
    {
        var prefix = type.Group.Length == 0 ? $"/api/{type.Version}" : $"/apis/{type.Group}/{type.Version}";
        var path = type.Namespaced ? $"{prefix}/namespaces/{{namespace}}/{type.Plural}/{{name}}" : $"{prefix}/{type.Plural}/{{name}}";
        var gvk = $"group: \"{type.Group}\"\nkind: {type.Kind}\nversion: {type.Version}\n";
        var operation = Concat(
            Text(5, $"patch{type.Kind}"),
            Message(8, QueryParameter("dryRun")),
            Message(8, QueryParameter("fieldManager")),
            Message(13, Concat(Text(1, "x-kubernetes-group-version-kind"), Message(2, Text(2, gvk)))));
        var pathItem = Message(8, operation);
        return Concat(Text(1, path), Message(2, pathItem));
    }

    /// <summary>ParametersItem { parameter: Parameter { non_body_parameter: NonBodyParameter { query_parameter_sub_schema } } }.</summary>
    private static byte[] QueryParameter(string name) =>
        Message(1, Message(2, Message(3, Concat(Text(2, "query"), Text(4, name), Text(6, "string")))));

    private static byte[] Text(int field, string value) => Message(field, Encoding.UTF8.GetBytes(value));

    /// <summary>A length-delimited field (wire type 2): tag, length, payload.</summary>
    private static byte[] Message(int field, byte[] payload)
    {
        using var buffer = new MemoryStream(payload.Length + 10);
        Varint(buffer, (ulong)(field << 3 | 2));
        Varint(buffer, (ulong)payload.Length);
        buffer.Write(payload);
        return buffer.ToArray();
    }

    private static void Varint(Stream stream, ulong value)
    {
        while (value >= 0x80)
        {
            stream.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }
        stream.WriteByte((byte)value);
    }

    private static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();
}
