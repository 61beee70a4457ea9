using System.Text.RegularExpressions;
using k8s;
using k8s.Models;
using Lineage.Operator.Crds;

namespace Lineage.Operator.Tests.Crds;

/// <summary>
/// kubectl reads manifests as YAML 1.1, where a bare y, n, yes, no, on, off, true or false is a boolean: a field with
/// such a name arrives at the API server as "false" and is refused (`unknown field "spec.training.distillation.false"`).
/// </summary>
public sealed partial class Yaml11FieldNameTests
{
    [GeneratedRegex("^(y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$")]
    private static partial Regex Yaml11Boolean();

    public static TheoryData<string> Kinds => new(CrdGenerator.Generate()
        .Select(g => KubernetesYaml.Deserialize<V1CustomResourceDefinition>(g.Yaml).Spec.Names.Kind));

    [Theory]
    [MemberData(nameof(Kinds))]
    public void No_field_of_a_generated_crd_is_a_word_yaml_1_1_reads_as_a_boolean(string kind)
    {
        var crd = CrdGenerator.Generate().Select(g => KubernetesYaml.Deserialize<V1CustomResourceDefinition>(g.Yaml)).Single(c => c.Spec.Names.Kind == kind);
        var offending = FieldPaths(crd.Spec.Versions[0].Schema.OpenAPIV3Schema, "").Where(p => Yaml11Boolean().IsMatch(p[(p.LastIndexOf('.') + 1)..])).ToList();
        Assert.Empty(offending);
    }

    [Fact]
    public void The_check_catches_a_field_named_n()
    {
        var schema = new V1JSONSchemaProps { Type = "object", Properties = new Dictionary<string, V1JSONSchemaProps> { ["n"] = new() { Type = "integer" } } };
        Assert.Contains(".n", FieldPaths(schema, "").Where(p => Yaml11Boolean().IsMatch(p[(p.LastIndexOf('.') + 1)..])));
    }

    static IEnumerable<string> FieldPaths(V1JSONSchemaProps schema, string path)
    {
        foreach (var (name, child) in schema.Properties ?? new Dictionary<string, V1JSONSchemaProps>())
        {
            yield return $"{path}.{name}";
            foreach (var nested in FieldPaths(child, $"{path}.{name}")) yield return nested;
        }
        if (schema.Items is not null)
        {
            var items = KubernetesJson.Deserialize<V1JSONSchemaProps>(KubernetesJson.Serialize(schema.Items));
            foreach (var nested in FieldPaths(items, $"{path}[]")) yield return nested;
        }
        if (schema.AdditionalProperties is not null and not bool)
        {
            var values = KubernetesJson.Deserialize<V1JSONSchemaProps>(KubernetesJson.Serialize(schema.AdditionalProperties));
            foreach (var nested in FieldPaths(values, $"{path}.*")) yield return nested;
        }
    }
}
