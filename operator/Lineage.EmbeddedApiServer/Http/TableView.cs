using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Lineage.EmbeddedApiServer.Storage;
using Microsoft.AspNetCore.Http;

namespace Lineage.EmbeddedApiServer.Http;

/// <summary>
/// The <c>meta.k8s.io/v1 Table</c> view kubectl asks for (<c>Accept: ...;as=Table</c>): a Name column, then a
/// CRD's additionalPrinterColumns (simple <c>.a.b[0]</c> paths; dates shown as ages), the columns kube-apiserver
/// prints for the built-in kinds a local user looks at (<see cref="BuiltInColumns"/>), or else Age.
/// </summary>
internal static class TableView
{
    public static bool Wanted(HttpRequest request) => request.Headers.Accept.ToString().Contains("as=Table", StringComparison.Ordinal);

    public static JsonObject Render(ResourceType type, IEnumerable<StoredObject> items, long resourceVersion)
    {
        var columns = Columns(type);
        var definitions = new JsonArray(new JsonObject { ["name"] = "Name", ["type"] = "string", ["format"] = "name", ["description"] = "Name", ["priority"] = 0 });
        foreach (var column in columns)
        {
            definitions.Add(new JsonObject
            {
                ["name"] = column.Name,
                ["type"] = column.Type,
                ["format"] = "",
                ["description"] = column.Description,
                ["priority"] = column.Priority,
            });
        }
        var now = DateTimeOffset.UtcNow;
        var rows = new JsonArray();
        foreach (var item in items)
        {
            var obj = item.MutableCopy();
            var cells = new JsonArray(JsonValue.Create(item.Name));
            foreach (var column in columns) cells.Add(column.Value(obj, now));
            rows.Add(new JsonObject { ["cells"] = cells, ["object"] = obj });
        }
        return new JsonObject
        {
            ["kind"] = "Table",
            ["apiVersion"] = "meta.k8s.io/v1",
            ["metadata"] = new JsonObject { ["resourceVersion"] = resourceVersion.ToString() },
            ["columnDefinitions"] = definitions,
            ["rows"] = rows,
        };
    }

    /// <summary>
    /// A watch event for <c>kubectl get -w</c>: the object becomes a one-row Table; BOOKMARK and ERROR
    /// events pass as they are, as kube-apiserver sends them.
    /// </summary>
    public static byte[] WatchLine(ResourceType type, WatchFrame frame)
    {
        if (frame.Type is WatchEvent.Bookmark or WatchEvent.Error) return frame.ToLine();
        var obj = new StoredObject(frame.ObjectUtf8);
        var table = Render(type, [obj], obj.ResourceVersion);
        return new WatchFrame(frame.Type, JsonText.ToUtf8(table)).ToLine();
    }

    private static IReadOnlyList<TableColumn> Columns(ResourceType type)
    {
        if (type.PrinterColumns?.OfType<JsonObject>().ToList() is { Count: > 0 } custom)
            return custom.Select(column => new TableColumn(
                column["name"]?.GetValue<string>() ?? "",
                column["type"]?.GetValue<string>() is "date" or null ? "string" : column["type"]!.GetValue<string>(),
                column["description"]?.GetValue<string>() ?? "",
                column["priority"] is JsonValue p && int.TryParse(p.ToJsonString(), out var priority) ? priority : 0,
                (obj, now) => Cell(obj, column, now))).ToList();
        return BuiltInColumns.For(type) ?? [new TableColumn("Age", "string", "", 0, (obj, now) => AgeOf(obj["metadata"]?["creationTimestamp"], now))];
    }

    private static JsonNode? Cell(JsonObject obj, JsonObject column, DateTimeOffset now)
    {
        var value = Select(obj, column["jsonPath"]?.GetValue<string>() ?? "");
        if (value is null) return null;
        if (column["type"]?.GetValue<string>() == "date") return AgeOf(value, now) ?? value.DeepClone();
        return value.DeepClone();
    }

    /// <summary>A timestamp as kubectl shows ages; null when it is not one.</summary>
    public static JsonNode? AgeOf(JsonNode? timestamp, DateTimeOffset now) =>
        timestamp is JsonValue v && v.GetValueKind() == JsonValueKind.String
        && DateTimeOffset.TryParse(v.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? Age(now - time)
            : null;

    /// <summary>Follows <c>.field</c> and <c>[index]</c> steps; anything fancier shows as empty.</summary>
    private static JsonNode? Select(JsonNode node, string path)
    {
        JsonNode? current = node;
        foreach (var step in path.Replace("[", ".[").Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            current = step.StartsWith('[') && step.EndsWith(']') && int.TryParse(step[1..^1], out var index)
                ? current is JsonArray array && index >= 0 && index < array.Count ? array[index] : null
                : current is JsonObject obj ? obj[step] : null;
            if (current is null) return null;
        }
        return current;
    }

    /// <summary>kubectl's short ages: 42s, 5m10s, 3h, 2d.</summary>
    public static string Age(TimeSpan age)
    {
        if (age < TimeSpan.Zero) age = TimeSpan.Zero;
        if (age.TotalMinutes < 2) return $"{(int)age.TotalSeconds}s";
        if (age.TotalMinutes < 10) return $"{(int)age.TotalMinutes}m{age.Seconds}s";
        if (age.TotalHours < 3) return $"{(int)age.TotalMinutes}m";
        if (age.TotalHours < 48) return $"{(int)age.TotalHours}h";
        return $"{(int)age.TotalDays}d";
    }
}
