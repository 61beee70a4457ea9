using System.Text.Json.Nodes;

namespace Lineage.Operator.Tests.Manifests;

/// <summary>
/// One permission: a verb on a resource (with its subresource, as RBAC names it: <c>generations/status</c>) of an API
/// group, either in every namespace and at cluster scope (<see cref="Cluster"/>: a ClusterRole bound by a
/// ClusterRoleBinding) or in one namespace (a Role bound by a RoleBinding there). <see cref="Names"/> is the rule's
/// resourceNames ("" when it has none, i.e. every object).
/// </summary>
sealed record RbacGrant(string Group, string Resource, string Verb, string Scope, string Names = "")
{
    public const string Cluster = "*";

    public override string ToString() =>
        $"{(Group.Length == 0 ? "core" : Group)} {Resource} {Verb} {(Scope == Cluster ? "cluster-wide" : "in " + Scope)}{(Names.Length == 0 ? "" : $" [{Names}]")}";

    /// <summary>What the rendered chart grants its service account: the rules of each bound role, expanded one by one.</summary>
    public static IReadOnlyList<RbacGrant> Of(RenderedChart chart, string serviceAccount)
    {
        var grants = new List<RbacGrant>();
        foreach (var binding in chart.Objects.Where(o => (string?)o["kind"] is "RoleBinding" or "ClusterRoleBinding"))
        {
            var subjects = binding["subjects"]!.AsArray();
            if (!subjects.Any(s => (string?)s!["kind"] == "ServiceAccount" && (string?)s["name"] == serviceAccount && (string?)s["namespace"] == chart.ReleaseNamespace))
                continue;
            var clusterWide = (string?)binding["kind"] == "ClusterRoleBinding";
            var bindingNamespace = (string?)binding["metadata"]!["namespace"];
            if (!clusterWide && bindingNamespace is null) throw new InvalidOperationException($"RoleBinding {binding["metadata"]!["name"]} has no namespace");
            var roleRef = binding["roleRef"]!;
            var role = chart.Objects.SingleOrDefault(o => (string?)o["kind"] == (string?)roleRef["kind"] && (string?)o["metadata"]!["name"] == (string?)roleRef["name"]
                && ((string?)roleRef["kind"] == "ClusterRole" || (string?)o["metadata"]!["namespace"] == bindingNamespace))
                ?? throw new InvalidOperationException($"{binding["kind"]} {binding["metadata"]!["name"]} refers to a {roleRef["kind"]} {roleRef["name"]} the chart does not render");
            foreach (var rule in role["rules"]!.AsArray())
            {
                if (rule!["nonResourceURLs"] is not null) throw new InvalidOperationException("the operator uses no non-resource URL");
                var names = string.Join(",", (rule["resourceNames"]?.AsArray() ?? []).Select(n => (string)n!).Order());
                foreach (var group in Strings(rule["apiGroups"]))
                    foreach (var resource in Strings(rule["resources"]))
                        foreach (var verb in Strings(rule["verbs"]))
                            grants.Add(new RbacGrant(group, resource, verb, clusterWide ? Cluster : bindingNamespace!, names));
            }
        }
        return grants;
    }

    static IEnumerable<string> Strings(JsonNode? list) => (list?.AsArray() ?? []).Select(n => (string)n!);
}
