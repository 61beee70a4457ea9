using System.Text.RegularExpressions;

namespace Lineage.KubeApiServer.Storage;

/// <summary>Name rules of the real server: DNS-1123 subdomains, and generateName suffixes.</summary>
internal static partial class ObjectNames
{
    private const string SuffixAlphabet = "bcdfghjklmnpqrstvwxz2456789";

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex Subdomain();

    public static void Validate(ResourceType type, string name)
    {
        if (name.Length > 253 || !Subdomain().IsMatch(name))
            throw ApiException.Invalid(type, name, "metadata.name",
                $"Invalid value: \"{name}\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character");
    }

    public static string Generate(string prefix, Random random)
    {
        if (prefix.Length > 58) prefix = prefix[..58];
        return prefix + new string(Enumerable.Range(0, 5).Select(_ => SuffixAlphabet[random.Next(SuffixAlphabet.Length)]).ToArray());
    }
}
