using System.Text;
using k8s;
using Lineage.Operator.Runtime;

namespace Lineage.Operator.Tests.Runtime;

/// <summary>The watch decoder on byte streams the tests shape: lines split across reads, long lines, CRLF, odd order.</summary>
public sealed class WatchLinesTests
{
    static string Line(string type, string name, int size, string parent = "p") =>
        "{\"type\":\"" + type + "\",\"object\":{\"apiVersion\":\"test.lineage.dev/v1\",\"kind\":\"Widget\",\"metadata\":{\"name\":\"" + name
        + "\",\"namespace\":\"team\",\"resourceVersion\":\"" + size + "\",\"managedFields\":[{\"manager\":\"m\",\"operation\":\"Update\"}]},"
        + "\"spec\":{\"size\":" + size + ",\"parent\":\"" + parent + "\"}}}";

    /// <summary>A stream that hands out at most <paramref name="chunk"/> bytes per read, like a socket under load.</summary>
    sealed class Trickle(byte[] bytes, int chunk) : MemoryStream(bytes)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, chunk)], ct);
    }

    static async Task<List<ResourceEvent<Widget>>> ReadAll(string text, int chunk)
    {
        var events = new List<ResourceEvent<Widget>>();
        await foreach (var e in WatchLines.ReadAsync<Widget>(new Trickle(Encoding.UTF8.GetBytes(text), chunk), "widgets", default))
            events.Add(e);
        return events;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(100_000)]
    public async Task Events_split_across_reads_come_out_whole_and_in_order(int chunk)
    {
        var longParent = new string('x', 150_000); // longer than the first buffer: it has to grow
        var text = Line("ADDED", "a", 1) + "\n"
            + Line("MODIFIED", "a", 2, longParent) + "\r\n"
            + "\n"
            + """{"object":{"apiVersion":"test.lineage.dev/v1","kind":"Widget","metadata":{"name":"b","namespace":"team","resourceVersion":"3"}},"type":"DELETED"}""" + "\n"
            + """{"type":"BOOKMARK","object":{"apiVersion":"test.lineage.dev/v1","kind":"Widget","metadata":{"resourceVersion":"9"}}}""" + "\n"
            + Line("ADDED", "c", 4, "pére \\\"q\\\" \\u00e9"); // the server's timeout can end the stream without a last newline

        var events = await ReadAll(text, chunk);

        Assert.Equal([WatchEventType.Added, WatchEventType.Modified, WatchEventType.Deleted, WatchEventType.Bookmark, WatchEventType.Added],
            events.Select(e => e.Type));
        Assert.Equal(["a", "a", "b", null, "c"], events.Select(e => e.Object?.Metadata.Name));
        Assert.Equal(["1", "2", "3", "9", "4"], events.Select(e => e.ResourceVersion));
        Assert.Equal(longParent, events[1].Object!.Spec.Parent);
        Assert.Equal("pére \"q\" é", events[4].Object!.Spec.Parent);
        Assert.All(events.Where(e => e.Object is not null), e => Assert.Null(e.Object!.Metadata.ManagedFields));
    }

    [Fact]
    public async Task An_error_event_yields_its_status_code_and_message()
    {
        var events = await ReadAll(
            """{"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","status":"Failure","message":"too old resource version: 5 (40)","reason":"Expired","code":410}}""" + "\n", 13);

        var error = Assert.Single(events);
        Assert.Equal((WatchEventType.Error, 410, "too old resource version: 5 (40)"), (error.Type, error.ErrorCode, error.ErrorMessage));
        Assert.Null(error.Object);
    }

    [Theory]
    [InlineData("not json at all")]
    [InlineData("""{"type":"RENAMED","object":{"metadata":{"name":"a"}}}""")]
    [InlineData("""{"type":"ADDED"}""")]
    [InlineData("""{"object":{"metadata":{"name":"a"}}}""")]
    [InlineData("""{"type":"ADDED","object":{"spec":{"size":"big"}}}""")]
    public async Task A_line_that_is_not_an_event_ends_the_watch_with_an_error_naming_the_kind(string bad)
    {
        var text = Line("ADDED", "a", 1) + "\n" + bad + "\n" + Line("ADDED", "b", 2) + "\n";
        var seen = new List<ResourceEvent<Widget>>();

        var error = await Assert.ThrowsAsync<IOException>(async () =>
        {
            await foreach (var e in WatchLines.ReadAsync<Widget>(new Trickle(Encoding.UTF8.GetBytes(text), 5), "widgets", default)) seen.Add(e);
        });

        Assert.Equal(["a"], seen.Select(e => e.Object!.Metadata.Name));
        Assert.Contains("watch of widgets", error.Message);
        Assert.Contains(bad.Length > 200 ? bad[..200] : bad, error.Message);
    }
}
