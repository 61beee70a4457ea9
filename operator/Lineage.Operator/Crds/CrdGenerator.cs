using System.Reflection;
using k8s;
using k8s.Models;
using Lineage.Operator.Api.Schema;
using Lineage.Operator.Api.V1Alpha1;

namespace Lineage.Operator.Crds;

/// <summary>
/// Turns the API types into apiextensions.k8s.io/v1 CRDs: names, the status subresource, printer columns,
/// selectable fields and the reflected schema. Output is deterministic, so <c>crds/</c> can be checked for drift.
/// </summary>
public static class CrdGenerator
{
    public static readonly Type[] Kinds = [typeof(LineageResource), typeof(Generation), typeof(GrpoRun), typeof(Distillation)];

    public const string Header =
        "# Generated from operator/Lineage.Operator/Api/V1Alpha1 by\n" +
        "#   dotnet run --project operator/Lineage.Operator -- crds --output crds\n" +
        "# Do not edit: change the C# types and regenerate.\n";

    /// <summary>File name (plural.group.yaml) and YAML text of every CRD.</summary>
    public static IReadOnlyList<(string FileName, string Yaml)> Generate()
    {
        var docs = XmlDocs.ForAssemblies(typeof(Generation).Assembly, typeof(Lineage.Contracts.Config.GrpoConfig).Assembly);
        var schemas = new SchemaBuilder(docs);
        return Kinds.Select(kind =>
        {
            var crd = Definition(kind, schemas);
            var yaml = KubernetesYaml.Serialize(crd);
            return ($"{crd.Metadata.Name}.yaml", Header + "---\n" + yaml.TrimEnd('\n') + "\n");
        }).ToList();
    }

    public static V1CustomResourceDefinition Definition(Type kind, SchemaBuilder schemas)
    {
        var entity = kind.GetCustomAttribute<KubernetesEntityAttribute>() ?? throw new ArgumentException($"{kind.Name} has no [KubernetesEntity]");
        var names = kind.GetCustomAttribute<ResourceNamesAttribute>();
        return new V1CustomResourceDefinition
        {
            ApiVersion = "apiextensions.k8s.io/v1",
            Kind = "CustomResourceDefinition",
            Metadata = new V1ObjectMeta { Name = $"{entity.PluralName}.{entity.Group}", Labels = new Dictionary<string, string> { ["app.kubernetes.io/part-of"] = "lineage" } },
            Spec = new V1CustomResourceDefinitionSpec
            {
                Group = entity.Group,
                Scope = "Namespaced",
                Names = new V1CustomResourceDefinitionNames
                {
                    Kind = entity.Kind,
                    ListKind = entity.Kind + "List",
                    Plural = entity.PluralName,
                    Singular = entity.Kind.ToLowerInvariant(),
                    ShortNames = names?.ShortNames,
                    Categories = names?.Categories,
                },
                Versions =
                [
                    new V1CustomResourceDefinitionVersion
                    {
                        Name = entity.ApiVersion,
                        Served = true,
                        Storage = true,
                        Subresources = new V1CustomResourceSubresources { Status = new Dictionary<string, object>() },
                        AdditionalPrinterColumns = kind.GetCustomAttributes<PrinterColumnAttribute>()
                            .Select(c => new V1CustomResourceColumnDefinition
                            {
                                Name = c.Name, Type = c.Type, JsonPath = c.JsonPath, Description = c.Description,
                                Priority = c.Priority == 0 ? null : c.Priority,
                            }).ToList(),
                        SelectableFields = kind.GetCustomAttributes<SelectableFieldAttribute>()
                            .Select(f => new V1SelectableField { JsonPath = f.JsonPath }).ToList() is { Count: > 0 } selectable ? selectable : null,
                        Schema = new V1CustomResourceValidation { OpenAPIV3Schema = schemas.ForKind(kind) },
                    },
                ],
            },
        };
    }
}
