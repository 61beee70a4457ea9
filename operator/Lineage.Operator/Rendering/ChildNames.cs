using System.Security.Cryptography;
using System.Text;

namespace Lineage.Operator.Rendering;

/// <summary>
/// Stable names of the objects the operator creates, derived from their owner's name: a repeated reconcile
/// finds the same child instead of making a second one. Long names are cut and suffixed with a hash.
/// </summary>
public static class ChildNames
{
    /// <summary>Job names end up in a pod label, so they must fit a label value.</summary>
    const int MaxLength = 63;

    public static string TrainingJob(string run) => Fit(run, "-train");
    public static string EvaluationJob(string generation) => Fit(generation, "-eval");

    static string Fit(string owner, string suffix)
    {
        if (owner.Length + suffix.Length <= MaxLength) return owner + suffix;
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(owner)))[..8];
        return $"{owner[..(MaxLength - suffix.Length - 9)].TrimEnd('-', '.')}-{hash}{suffix}";
    }
}
