using System.Text.Json.Nodes;

namespace Lineage.EmbeddedApiServer.Http;

/// <summary>One column of a Table view: its definition and how a row's cell is computed from the object.</summary>
internal sealed record TableColumn(string Name, string Type, string Description, int Priority, Func<JsonObject, DateTimeOffset, JsonNode?> Value);
