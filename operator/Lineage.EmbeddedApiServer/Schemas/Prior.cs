using System.Text.Json.Nodes;

namespace Lineage.EmbeddedApiServer.Schemas;

/// <summary>
/// The stored value that a value of an update is compared with (KEP-4008's correlation): object properties and map
/// entries by key; items of a list only when it is <c>x-kubernetes-list-type: map</c>, by its keys. Items of atomic
/// lists and sets are not correlated: such a list is unchanged only when it is equal as a whole.
/// </summary>
/// <param name="Same">The caller knows the value is the stored one (compared without a walk).</param>
/// <param name="OnlyChanged">On the object itself: the one property the write may have changed, the others being the
/// stored ones (a status write: <see cref="Storage.ObjectStore"/> builds it from the stored object and the new status).</param>
internal readonly record struct Prior(JsonNode? Value, bool Exists, bool Same = false, string? OnlyChanged = null)
{
    /// <summary>No correlated stored value: a create, or a new or uncorrelatable part of an update.</summary>
    public static Prior None => default;

    public static Prior Of(JsonNode? stored, string? onlyChanged = null) => new(stored, true, OnlyChanged: onlyChanged);

    public Prior Property(string key) =>
        Exists && Value is JsonObject obj && obj.TryGetPropertyValue(key, out var value)
            ? new Prior(value, true, Same || OnlyChanged is not null && key != OnlyChanged)
            : None;

    public Prior Item(JsonObject listSchema, JsonNode? item)
    {
        if (!Exists || Value is not JsonArray old || item is not JsonObject wanted) return None;
        if (listSchema["x-kubernetes-list-type"]?.GetValue<string>() != "map" || listSchema["x-kubernetes-list-map-keys"] is not JsonArray keys) return None;
        foreach (var candidate in old)
            if (candidate is JsonObject stored && keys.All(k => k?.GetValue<string>() is { } key && JsonNode.DeepEquals(stored[key], wanted[key])))
                return new Prior(stored, true);
        return None;
    }

    /// <summary>Whether the value is the stored one: its errors are forgiven (ratcheted) and it need not be checked again.</summary>
    public bool Unchanged(JsonNode? value) => Same || Exists && JsonNode.DeepEquals(Value, value);
}

/// <summary>
/// Validation ratcheting on one update (CRDValidationRatcheting, GA in v1.33): errors of OpenAPI checks on unchanged
/// values are dropped, and CEL rules that do not use <c>oldSelf</c> failing on unchanged values become warnings.
/// When the stored object is known to satisfy this very schema (<see cref="StoredIsValid"/>), unchanged values cannot
/// fail, so they are not checked at all.
/// </summary>
internal sealed class Ratcheting(bool storedIsValid)
{
    public bool StoredIsValid { get; } = storedIsValid;

    /// <summary>Whether an error was forgiven: the new object, although accepted, does not satisfy the schema.</summary>
    public bool Forgave { get; set; }

    public List<string> Warnings { get; } = [];
}
