using System.Text;

namespace Lineage.EmbeddedApiServer.Storage;

/// <summary>One line of a watch stream: <c>{"type":...,"object":...}</c> followed by a newline.</summary>
internal readonly record struct WatchFrame(string Type, byte[] ObjectUtf8)
{
    public byte[] ToLine()
    {
        var head = Encoding.UTF8.GetBytes($"{{\"type\":\"{Type}\",\"object\":");
        var line = new byte[head.Length + ObjectUtf8.Length + 2];
        head.CopyTo(line, 0);
        ObjectUtf8.CopyTo(line, head.Length);
        line[^2] = (byte)'}';
        line[^1] = (byte)'\n';
        return line;
    }
}
