using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace Lineage.Operator.Runtime;

/// <summary>
/// An object decoded by KubernetesClient's own code (its calls and its <c>Watcher</c> take the type to decode) the way
/// <see cref="ResourceClient{T}"/> decodes watch events and write answers (<see cref="WatchJson"/>: without managedFields,
/// with repeated strings shared). The operator bench's <c>--watch-decode</c> uses it, so the comparison of the two watch
/// decoders differs only in how they read the stream.
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

/// <summary>
/// KubernetesClient's JSON options (its converters for dates, quantities, enums) reading no managedFields, and sharing
/// the strings that repeat from object to object (namespace, kinds, label keys and values, condition types, plan
/// fields): a cache of thousands of objects held ~57 strings per object, most of them copies.
/// </summary>
static class WatchJson
{
    /// <summary>KubernetesClient's own options, as its calls serialize request bodies with them (only to read: not changed here).</summary>
    public static readonly JsonSerializerOptions ClientOptions = Client();

    // After ClientOptions: static fields are initialized in the order they are written.
    public static readonly JsonSerializerOptions Options = Create();

    static JsonSerializerOptions Client()
    {
        JsonSerializerOptions? shared = null;
        KubernetesJson.AddJsonOptions(o => shared = o);
        return shared!;
    }

    static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(ClientOptions);
        options.Converters.Insert(0, new SkipManagedFields());
        options.Converters.Insert(0, new SharedStrings());
        return options;
    }

    /// <summary>
    /// Strings read through a small table of recently read ones: an equal string already in its slot is returned instead
    /// of a new copy. Bounded (16,384 slots, ASCII values up to 128 bytes), so strings seen once (uids, resourceVersions)
    /// only take over a slot until a repeated one needs it again; a lost race only costs a copy.
    /// </summary>
    internal sealed class SharedStrings : JsonConverter<string>
    {
        const int MaxBytes = 128;
        readonly string?[] slots = new string?[1 << 14];

        public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.String ? Shared(ref reader) : reader.GetString();

        public override string ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => Shared(ref reader)!;

        public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);

        public override void WriteAsPropertyName(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WritePropertyName(value);

        string? Shared(ref Utf8JsonReader reader)
        {
            if (reader.ValueIsEscaped || reader.HasValueSequence || reader.ValueSpan.Length > MaxBytes) return reader.GetString();
            var bytes = reader.ValueSpan;
            if (!Ascii.IsValid(bytes)) return reader.GetString();
            var hash = new HashCode();
            hash.AddBytes(bytes);
            ref var slot = ref slots[hash.ToHashCode() & (slots.Length - 1)];
            var known = Volatile.Read(ref slot);
            if (known is not null && known.Length == bytes.Length && Ascii.Equals(bytes, known)) return known;
            var fresh = Encoding.ASCII.GetString(bytes);
            Volatile.Write(ref slot, fresh);
            return fresh;
        }
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
