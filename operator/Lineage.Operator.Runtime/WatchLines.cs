using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using k8s;
using k8s.Models;

namespace Lineage.Operator.Runtime;

/// <summary>
/// The events of a watch response (one JSON object per line, <c>{"type":"ADDED","object":{…}}</c>), decoded straight
/// from the bytes as they arrive. KubernetesClient's <c>Watcher</c> reads each line into a string (UTF-8 to UTF-16),
/// parses it twice (once to look for a Status, once as the event), transcoding it back to UTF-8 each time, and wraps
/// every read of the socket in a linked cancellation source. Here each line is parsed once, from the bytes it came in:
/// 0.46–0.58 of the CPU per event (the operator bench's <c>--watch-decode</c>, docs/benchmarks/operator.md).
/// </summary>
static class WatchLines
{
    const int InitialBuffer = 64 * 1024;

    /// <summary>
    /// The events of <paramref name="stream"/> until it ends. An ERROR event yields its Status's code and message (410:
    /// the resourceVersion expired); a line that is not an event ends the watch with an <see cref="IOException"/>
    /// naming the kind, so the informer lists again instead of going on without an event it could not read.
    /// </summary>
    public static async IAsyncEnumerable<ResourceEvent<T>> ReadAsync<T>(Stream stream, string kind, [EnumeratorCancellation] CancellationToken ct)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var buffer = ArrayPool<byte>.Shared.Rent(InitialBuffer);
        try
        {
            int start = 0, end = 0;
            while (true)
            {
                int newline;
                while ((newline = buffer.AsSpan(start, end - start).IndexOf((byte)'\n')) >= 0)
                {
                    var decoded = Decode<T>(buffer.AsSpan(start, newline), kind);
                    start += newline + 1;
                    if (decoded is not null) yield return decoded;
                }
                if (start > 0)
                {
                    buffer.AsSpan(start, end - start).CopyTo(buffer);
                    (end, start) = (end - start, 0);
                }
                if (end == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, end).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }
                var read = await stream.ReadAsync(buffer.AsMemory(end), ct).ConfigureAwait(false);
                if (read == 0)
                {
                    // The server ended the stream (its timeout): a last line without its newline is still an event.
                    if (end > 0 && Decode<T>(buffer.AsSpan(0, end), kind) is { } last) yield return last;
                    yield break;
                }
                end += read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>One line's event; null for a blank line.</summary>
    internal static ResourceEvent<T>? Decode<T>(ReadOnlySpan<byte> line, string kind) where T : class, IKubernetesObject<V1ObjectMeta>
    {
        line = line.TrimEnd((byte)'\r');
        if (line.Trim(" \t"u8).IsEmpty) return null;
        try
        {
            var reader = new Utf8JsonReader(line);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) throw new JsonException("not a JSON object");
            WatchEventType? type = null;
            var objectAt = -1;
            ResourceEvent<T>? decoded = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("type"u8))
                {
                    reader.Read();
                    type = TypeOf(ref reader);
                }
                else if (reader.ValueTextEquals("object"u8))
                {
                    reader.Read();
                    if (type is { } known) decoded = Event<T>(known, ref reader);
                    else
                    {
                        // "object" before "type" (no server writes it so, but JSON allows it): read it once the type is known.
                        objectAt = (int)reader.TokenStartIndex;
                        reader.Skip();
                    }
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
            if (type is not { } eventType) throw new JsonException("no \"type\"");
            if (decoded is null && objectAt >= 0)
            {
                var again = new Utf8JsonReader(line[objectAt..]);
                again.Read();
                decoded = Event<T>(eventType, ref again);
            }
            return decoded ?? throw new JsonException($"a {eventType} event without an object");
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            var shown = line.Length > 200 ? System.Text.Encoding.UTF8.GetString(line[..200]) + "…" : System.Text.Encoding.UTF8.GetString(line);
            throw new IOException($"watch of {kind}: a line that is not a watch event ({e.Message}): {shown}", e);
        }
    }

    static WatchEventType TypeOf(ref Utf8JsonReader reader) =>
        reader.ValueTextEquals("ADDED"u8) ? WatchEventType.Added
        : reader.ValueTextEquals("MODIFIED"u8) ? WatchEventType.Modified
        : reader.ValueTextEquals("DELETED"u8) ? WatchEventType.Deleted
        : reader.ValueTextEquals("BOOKMARK"u8) ? WatchEventType.Bookmark
        : reader.ValueTextEquals("ERROR"u8) ? WatchEventType.Error
        : throw new JsonException($"unknown event type {reader.GetString()}");

    /// <summary>The event of the object the reader is at (its first token), read to its end.</summary>
    static ResourceEvent<T> Event<T>(WatchEventType type, ref Utf8JsonReader reader) where T : class, IKubernetesObject<V1ObjectMeta>
    {
        if (type == WatchEventType.Error)
        {
            // kube-apiserver's ERROR events carry a Status (410 Gone when the resourceVersion expired).
            var status = JsonSerializer.Deserialize<V1Status>(ref reader, WatchJson.Options);
            return new ResourceEvent<T>(type, null, null, status?.Code, status?.Message ?? "an ERROR event without a Status");
        }
        var obj = JsonSerializer.Deserialize<T>(ref reader, WatchJson.Options) ?? throw new JsonException($"a {type} event whose object is null");
        return type == WatchEventType.Bookmark
            ? new ResourceEvent<T>(type, null, obj.Metadata?.ResourceVersion)
            : new ResourceEvent<T>(type, obj, obj.Metadata?.ResourceVersion);
    }
}
