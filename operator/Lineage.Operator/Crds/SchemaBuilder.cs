using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using k8s.Models;
using Lineage.Operator.Api.Schema;

namespace Lineage.Operator.Crds;

/// <summary>
/// Reflects a C# type into a structural openAPIV3Schema: JSON names in camelCase (as KubernetesJson writes
/// them), constraints from the schema attributes and <see cref="ContractHints"/>, defaults from the C#
/// initializers, descriptions from the doc comments.
/// </summary>
public sealed class SchemaBuilder(XmlDocs docs)
{
    public V1JSONSchemaProps ForKind(Type kind)
    {
        var schema = new V1JSONSchemaProps
        {
            Type = "object",
            Description = docs.Of(kind),
            Properties = new Dictionary<string, V1JSONSchemaProps>
            {
                ["apiVersion"] = new() { Type = "string", Description = "APIVersion defines the versioned schema of this representation of an object." },
                ["kind"] = new() { Type = "string", Description = "Kind is a string value representing the REST resource this object represents." },
                ["metadata"] = new() { Type = "object" },
            },
        };
        foreach (var name in new[] { "Spec", "Status" })
        {
            var property = kind.GetProperty(name)!;
            schema.Properties[JsonName(property)] = ForProperty(property, instance: null, inStatus: name == "Status");
        }
        schema.Required = Required(kind);
        return schema;
    }

    V1JSONSchemaProps ForType(Type type, bool inStatus)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string)) return new() { Type = "string" };
        if (type == typeof(bool)) return new() { Type = "boolean" };
        if (type == typeof(int)) return new() { Type = "integer", Format = "int32" };
        if (type == typeof(long)) return new() { Type = "integer", Format = "int64" };
        if (type == typeof(double) || type == typeof(float)) return new() { Type = "number", Format = "double" };
        if (type == typeof(DateTime) || type == typeof(DateTimeOffset)) return new() { Type = "string", Format = "date-time" };
        if (DictionaryValue(type) is { } value) return new() { Type = "object", AdditionalProperties = ForType(value, inStatus) };
        if (ListItem(type) is { } item) return new() { Type = "array", Items = ForType(item, inStatus) };
        if (type == typeof(V1ObjectMeta)) return new() { Type = "object" };
        return ForObject(type, inStatus);
    }

    V1JSONSchemaProps ForObject(Type type, bool inStatus)
    {
        var instance = type.IsAbstract ? null : Activator.CreateInstance(type);
        var schema = new V1JSONSchemaProps { Type = "object", Properties = new Dictionary<string, V1JSONSchemaProps>() };
        foreach (var property in Properties(type))
            schema.Properties[JsonName(property)] = ForProperty(property, instance, inStatus);
        schema.Required = Required(type);
        schema.XKubernetesValidations = Rules(type.GetCustomAttributes<CelRuleAttribute>(inherit: true));
        return schema;
    }

    V1JSONSchemaProps ForProperty(PropertyInfo property, object? instance, bool inStatus)
    {
        var schema = ForType(property.PropertyType, inStatus);
        var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        schema.Description = docs.Of(property) ?? (type.IsClass && type != typeof(string) ? docs.Of(type) : null);

        var hint = ContractHints.For(property.DeclaringType!, property.Name);
        var values = property.GetCustomAttribute<EnumAttribute>()?.Values ?? hint?.Enum;
        if (values is not null) schema.EnumProperty = values.Cast<object>().ToList();
        if (property.GetCustomAttribute<PatternAttribute>() is { } pattern) schema.Pattern = pattern.Regex;
        if (property.GetCustomAttribute<ListMapAttribute>() is { } listMap) (schema.XKubernetesListType, schema.XKubernetesListMapKeys) = ("map", listMap.Keys);

        var range = property.GetCustomAttribute<RangeAttribute>();
        var minimum = range is { Minimum: var min } && !double.IsNaN(min) ? min : hint?.Minimum;
        var maximum = range is { Maximum: var max } && !double.IsNaN(max) ? max : hint?.Maximum;
        if (minimum is not null) schema.Minimum = minimum;
        if (maximum is not null) schema.Maximum = maximum;

        if (property.GetCustomAttribute<LengthAttribute>() is { } length)
        {
            long? lo = length.Minimum >= 0 ? length.Minimum : null, hi = length.Maximum >= 0 ? length.Maximum : null;
            if (schema.Type == "array") (schema.MinItems, schema.MaxItems) = (lo, hi);
            else (schema.MinLength, schema.MaxLength) = (lo, hi);
        }

        var rules = Rules(property.GetCustomAttributes<CelRuleAttribute>());
        if (rules is not null) schema.XKubernetesValidations = [.. schema.XKubernetesValidations ?? [], .. rules];

        if (!inStatus) schema.DefaultProperty = Default(property, instance);
        return schema;
    }

    /// <summary>Scalar initializer values become schema defaults; required fields and the operator's own fields have none.</summary>
    static object? Default(PropertyInfo property, object? instance)
    {
        if (property.GetCustomAttribute<DefaultAttribute>() is { } explicitDefault) return explicitDefault.Value;
        if (instance is null || property.IsDefined(typeof(RequiredAttribute)) || property.IsDefined(typeof(NoDefaultAttribute))) return null;
        var value = property.GetValue(instance);
        return value switch
        {
            string s when s.Length > 0 => s,
            bool or int or long or double => value,
            _ => null,
        };
    }

    static IEnumerable<PropertyInfo> Properties(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite && p.GetIndexParameters().Length == 0 && !p.IsDefined(typeof(JsonIgnoreAttribute)))
            .OrderBy(p => Depth(p.DeclaringType!))
            .ThenBy(p => p.MetadataToken);

    static int Depth(Type type) => type.BaseType is null ? 0 : 1 + Depth(type.BaseType);

    static IList<string>? Required(Type type)
    {
        var names = Properties(type).Where(p => p.IsDefined(typeof(RequiredAttribute))).Select(JsonName).ToList();
        return names.Count > 0 ? names : null;
    }

    static IList<V1ValidationRule>? Rules(IEnumerable<CelRuleAttribute> rules)
    {
        var list = rules.Select(r => new V1ValidationRule { Rule = r.Rule, Message = r.Message }).ToList();
        return list.Count > 0 ? list : null;
    }

    public static string JsonName(PropertyInfo property) =>
        property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(property.Name);

    static Type? DictionaryValue(Type type) =>
        GenericArguments(type, typeof(IReadOnlyDictionary<,>), typeof(IDictionary<,>)) is [var key, var value] && key == typeof(string) ? value : null;

    static Type? ListItem(Type type) =>
        type == typeof(string) ? null : GenericArguments(type, typeof(IEnumerable<>)) is [var item] ? item : null;

    static Type[]? GenericArguments(Type type, params Type[] definitions)
    {
        var candidates = type.IsInterface ? type.GetInterfaces().Append(type) : type.GetInterfaces();
        return candidates.FirstOrDefault(i => i.IsGenericType && definitions.Contains(i.GetGenericTypeDefinition()))?.GetGenericArguments();
    }
}
