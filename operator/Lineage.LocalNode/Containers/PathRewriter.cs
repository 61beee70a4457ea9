using System.Text;

namespace Lineage.LocalNode.Containers;

/// <summary>
/// The one departure from a real kubelet: a local process has no mount namespace, so a volume cannot appear at
/// its <c>mountPath</c>. Instead every occurrence of a mount path in the container's command, args, environment
/// values and working directory is replaced by the folder the volume was materialised in. An occurrence counts
/// when it starts a path (at the start of the text, after a character that cannot be part of a path, or after
/// <c>file://</c>) and ends at a path boundary (<c>/tmp</c> matches <c>/tmp</c> and <c>/tmp/x</c>, not <c>/tmpx</c>
/// or <c>/data/tmp</c>). The longest mount path wins; replaced text is not rewritten again.
/// </summary>
public sealed class PathRewriter
{
    readonly List<(string MountPath, string HostPath)> mounts;

    public PathRewriter(IEnumerable<KeyValuePair<string, string>> mounts)
    {
        this.mounts = mounts
            .Select(m => (MountPath: Normalize(m.Key), HostPath: m.Value.Length > 1 ? m.Value.TrimEnd('/') : m.Value))
            .Where(m => m.MountPath.Length > 1)
            .OrderByDescending(m => m.MountPath.Length)
            .ToList();
    }

    public static readonly PathRewriter None = new([]);

    public string Rewrite(string text)
    {
        if (mounts.Count == 0 || text.Length == 0) return text;
        var result = new StringBuilder(text.Length);
        var i = 0;
        while (i < text.Length)
        {
            if (text[i] == '/' && StartsPath(text, i) && Match(text, i) is { } m)
            {
                result.Append(m.HostPath);
                i += m.MountPath.Length;
                continue;
            }
            result.Append(text[i]);
            i++;
        }
        return result.ToString();
    }

    (string MountPath, string HostPath)? Match(string text, int at)
    {
        foreach (var m in mounts)
        {
            if (string.CompareOrdinal(text, at, m.MountPath, 0, m.MountPath.Length) != 0) continue;
            var end = at + m.MountPath.Length;
            if (end == text.Length || !IsPathChar(text[end]) || text[end] == '/') return m;
        }
        return null;
    }

    static bool StartsPath(string text, int at) =>
        at == 0 || !IsPathChar(text[at - 1]) || (at >= 7 && string.CompareOrdinal(text, at - 7, "file://", 0, 7) == 0);

    static bool IsPathChar(char c) => char.IsLetterOrDigit(c) || c is '/' or '.' or '_' or '-' or '~' or '+' or '@';

    static string Normalize(string mountPath) => mountPath.Length > 1 ? mountPath.TrimEnd('/') : mountPath;
}
