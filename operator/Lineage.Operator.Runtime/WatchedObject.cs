using System.Text.Json;
using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace Lineage.Operator.Runtime;

/// <summary>
/// The object of one watch event, decoded straight from the event's JSON into <typeparamref name="T"/> without the
/// object's managedFields (no informer keeps them). KubernetesClient's <c>Watcher</c> parses every line it reads; asking
/// it for a <c>JsonElement</c> and decoding that again cost a JsonDocument copy of every event and a third parse, and
/// managedFields (a JsonDocument per entry) were decoded only to be dropped (docs/benchmarks/operator.md).
/// </summary>
[JsonConverter(typeof(WatchedObjectConverterFactory))]
public sealed class WatchedObject<T>(T? value) where T : class
{
    public T? Value { get; } = value;
}

sealed class WatchedObjectConverterFactory : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) =>
        typeToConvert.IsGenericType && typeToConvert.GetGenericTypeDefinition() == typeof(WatchedObject<>);

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(WatchedObjectConverter<>).MakeGenericType(typeToConvert.GetGenericArguments()[0]))!;
}

sealed class WatchedObjectConverter<T> : JsonConverter<WatchedObject<T>> where T : class
{
    public override WatchedObject<T> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        new(JsonSerializer.Deserialize<T>(ref reader, WatchJson.Options));

    public override void Write(Utf8JsonWriter writer, WatchedObject<T> value, JsonSerializerOptions options) =>
        JsonSerializer.Serialize(writer, value.Value, WatchJson.Options);
}

/// <summary>KubernetesClient's JSON options (its converters for dates, quantities, enums) reading no managedFields.</summary>
static class WatchJson
{
    public static readonly JsonSerializerOptions Options = Create();

    static JsonSerializerOptions Create()
    {
        JsonSerializerOptions? shared = null;
        KubernetesJson.AddJsonOptions(o => shared = o); // only to read them: the client's own options stay as they are
        var options = new JsonSerializerOptions(shared!);
        options.Converters.Insert(0, new SkipManagedFields());
        return options;
    }

    sealed class SkipManagedFields : JsonConverter<IList<V1ManagedFieldsEntry>>
    {
        public override IList<V1ManagedFieldsEntry>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            reader.Skip();
            return null;
        }

        public override void Write(Utf8JsonWriter writer, IList<V1ManagedFieldsEntry> value, JsonSerializerOptions options) =>
            JsonSerializer.Serialize(writer, value.ToList(), options);
    }
}
