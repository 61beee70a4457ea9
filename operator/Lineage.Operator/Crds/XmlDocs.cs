using System.Reflection;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Lineage.Operator.Crds;

/// <summary>
/// Summaries from the compiler's XML documentation files (GenerateDocumentationFile), looked up by member:
/// schema descriptions come from the same comments a reader of the C# types sees.
/// </summary>
public sealed partial class XmlDocs
{
    readonly Dictionary<string, string> _summaries = [];

    public static XmlDocs ForAssemblies(params Assembly[] assemblies)
    {
        var docs = new XmlDocs();
        foreach (var assembly in assemblies.Distinct())
        {
            var file = Path.ChangeExtension(assembly.Location, ".xml");
            if (!File.Exists(file)) throw new FileNotFoundException($"documentation file of {assembly.GetName().Name} not found (is GenerateDocumentationFile on?)", file);
            foreach (var member in XDocument.Load(file).Descendants("member"))
            {
                var name = member.Attribute("name")?.Value;
                var summary = member.Element("summary");
                if (name is not null && summary is not null) docs._summaries[name] = Clean(summary);
            }
        }
        return docs;
    }

    public string? Of(Type type) => _summaries.GetValueOrDefault("T:" + Id(type));

    public string? Of(PropertyInfo property) => _summaries.GetValueOrDefault($"P:{Id(property.DeclaringType!)}.{property.Name}");

    static string Id(Type type) => type.FullName!.Replace('+', '.');

    static string Clean(XElement summary)
    {
        var text = string.Concat(summary.Nodes().Select(node => node switch
        {
            XElement { Name.LocalName: "see" or "seealso" } see => Last(see.Attribute("cref")?.Value ?? see.Attribute("langword")?.Value ?? see.Value),
            XElement { Name.LocalName: "paramref" or "typeparamref" } p => p.Attribute("name")?.Value ?? "",
            XElement e => e.Value,
            XText t => t.Value,
            _ => "",
        }));
        return Whitespace().Replace(text, " ").Trim();
    }

    static string Last(string cref) => cref[(cref.LastIndexOfAny([':', '.']) + 1)..];

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
