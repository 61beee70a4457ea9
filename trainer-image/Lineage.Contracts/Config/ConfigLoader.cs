using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Lineage.Contracts.Config;

/// <summary>
/// Loads a typed config from YAML or JSON (JSON is YAML). Unknown fields and bad values are errors
/// that name the file, line and field; the result is validated once, here at the edge.
/// </summary>
public static class ConfigLoader
{
    static readonly IDeserializer Deserializer = new DeserializerBuilder()
        .WithNamingConvention(CamelCaseNamingConvention.Instance)
        .WithCaseInsensitivePropertyMatching()
        .Build();

    static readonly ISerializer Serializer = new SerializerBuilder()
        .WithNamingConvention(CamelCaseNamingConvention.Instance)
        .ConfigureDefaultValuesHandling(DefaultValuesHandling.OmitNull)
        // A string YAML would read as another type ("null", "~", "true", "12") is quoted: plain, "null" came back as null.
        .WithQuotingNecessaryStrings()
        .Build();

    public static T LoadFile<T>(string path, IReadOnlyList<string>? overrides = null) where T : IValidated, new()
    {
        if (!File.Exists(path)) throw new ConfigError($"{path}: config file not found");
        return Parse<T>(File.ReadAllText(path), path, overrides);
    }

    /// <summary>Parses <paramref name="text"/>, then applies <c>path.to.field=value</c> overrides (command-line flags).</summary>
    public static T Parse<T>(string text, string source, IReadOnlyList<string>? overrides = null) where T : IValidated, new()
    {
        if (overrides is { Count: > 0 })
        {
            text = ConfigOverrides.Apply(text, overrides, source);
            source = $"{source} with overrides";
        }
        if (string.IsNullOrWhiteSpace(text))
        {
            var defaults = new T();
            Check(defaults, source);
            return defaults;
        }
        // The user's text alone first, so that unknown fields and bad values name its own lines.
        Read<T>(text, source);
        // Then on top of the defaults: a nested record the user only partly sets keeps the defaults its parent
        // gave it (eval's data split "test", not DataConfig's own "train").
        var config = Read<T>(ConfigOverrides.Merge(Defaults<T>.Yaml, text, source), source);
        Check(config, source);
        return config;
    }

    static T Read<T>(string text, string source) where T : new()
    {
        try
        {
            return Deserializer.Deserialize<T>(text) ?? new T();
        }
        catch (YamlException e)
        {
            var inner = e.InnerException?.Message ?? e.Message;
            // A value of the wrong type: the exception knows the position, not the field; the line of the text does.
            var field = e.InnerException is FormatException or OverflowException ? FieldAt(text, e.Start.Line) : null;
            throw new ConfigError($"{source}: line {e.Start.Line}, column {e.Start.Column}: {(field is null ? "" : field + ": ")}{Clean(inner)}");
        }
    }

    /// <summary>The YAML key that starts line <paramref name="line"/> (1-based) of <paramref name="text"/>, if one does.</summary>
    static string? FieldAt(string text, long line)
    {
        var lines = text.Split('\n');
        if (line < 1 || line > lines.Length) return null;
        var key = Regex.Match(lines[line - 1], @"^\s*(?:-\s+)?[""']?([A-Za-z_][A-Za-z0-9_]*)[""']?\s*:");
        return key.Success ? key.Groups[1].Value : null;
    }

    public static void Check<T>(T config, string source) where T : IValidated
    {
        var v = new Validation();
        config.Validate(v, "");
        v.ThrowIfAny(source);
    }

    /// <summary>A config type's defaults as YAML, rendered once per type (they depend on nothing else).</summary>
    static class Defaults<T> where T : new()
    {
        public static readonly string Yaml = Serializer.Serialize(new T());
    }

    /// <summary>Renders a config as YAML (what the operator gives a Job): <see cref="PlainYaml"/> when it can, else YamlDotNet, the same text either way.</summary>
    public static string ToYaml<T>(T config) => (config is null ? null : PlainYaml.TryRender(config)) ?? Serializer.Serialize(config);

    /// <summary>YamlDotNet's rendering alone (what <see cref="PlainYaml"/> must equal).</summary>
    internal static string ToYamlBySerializer<T>(T config) => Serializer.Serialize(config);

    /// <summary>YamlDotNet's "Property 'x' not found on type 'Ns.SftConfig'." as "unknown field 'x' (not a field of SftConfig)".</summary>
    static string Clean(string message) =>
        Regex.Replace(message, @"^Property '(.*)' not found on type '(?:[\w.]*\.)?([\w`]+)'\.?$", "unknown field '$1' (not a field of $2)").TrimEnd('.');
}
