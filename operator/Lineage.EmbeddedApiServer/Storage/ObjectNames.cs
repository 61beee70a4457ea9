using System.Text.RegularExpressions;

namespace Lineage.EmbeddedApiServer.Storage;

/// <summary>
/// Name rules of the real server: DNS-1123 subdomains; DNS-1123 labels for namespaces and services;
/// at most 63 characters for Jobs (their name becomes a pod label value). And generateName suffixes.
/// </summary>
internal static partial class ObjectNames
{
    private const string SuffixAlphabet = "bcdfghjklmnpqrstvwxz2456789";

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex Subdomain();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Label();

    public static void Validate(ResourceType type, string name)
    {
        if (type.Group.Length == 0 && type.Plural is "namespaces" or "services")
        {
            if (name.Length > 63 || !Label().IsMatch(name))
                throw ApiException.Invalid(type, name, "metadata.name",
                    $"Invalid value: \"{name}\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', must start and end with an alphanumeric character, and be at most 63 characters");
            return;
        }
        if (name.Length > 253 || !Subdomain().IsMatch(name))
            throw ApiException.Invalid(type, name, "metadata.name",
                $"Invalid value: \"{name}\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character");
        if (type.Group == "batch" && type.Plural == "jobs" && name.Length > 63)
            throw ApiException.Invalid(type, name, "spec.template.labels",
                $"Invalid value: \"{name}\": must be no more than 63 characters (the Job name is a pod label value)");
    }

    public static string Generate(string prefix, Random random)
    {
        if (prefix.Length > 58) prefix = prefix[..58];
        return prefix + new string(Enumerable.Range(0, 5).Select(_ => SuffixAlphabet[random.Next(SuffixAlphabet.Length)]).ToArray());
    }
}
