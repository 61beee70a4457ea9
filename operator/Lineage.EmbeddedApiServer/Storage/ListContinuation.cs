using System.Text;

namespace Lineage.EmbeddedApiServer.Storage;

/// <summary>
/// Where a paged LIST resumes: after a key, reporting the resourceVersion of its first page, so a
/// watch from the list's resourceVersion replays every change made while the pages were read.
/// </summary>
internal sealed record ListContinuation(long ResourceVersion, string AfterKey)
{
    public string Encode() => Convert.ToBase64String(Encoding.UTF8.GetBytes($"{ResourceVersion}|{AfterKey}"));

    public static ListContinuation? Decode(string? token)
    {
        if (string.IsNullOrEmpty(token)) return null;
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(token));
            var bar = text.IndexOf('|');
            if (bar > 0 && long.TryParse(text[..bar], out var resourceVersion)) return new ListContinuation(resourceVersion, text[(bar + 1)..]);
        }
        catch (FormatException)
        {
        }
        throw ApiException.BadRequest($"invalid continue token \"{token}\"");
    }
}
