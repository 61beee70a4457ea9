using System.Threading.Channels;

namespace Lineage.EmbeddedApiServer.Storage;

/// <summary>
/// One open watch: the frames it still has to send. Written under the store's lock, so frames
/// (including bookmarks) are in resourceVersion order; read by the HTTP stream.
/// </summary>
internal sealed class WatchSubscription(ResourceType type, WatchFilter filter)
{
    private readonly Channel<WatchFrame> frames = Channel.CreateUnbounded<WatchFrame>(new UnboundedChannelOptions { SingleReader = true });

    public ResourceType Type { get; } = type;
    public WatchFilter Filter { get; } = filter;
    public ChannelReader<WatchFrame> Frames => frames.Reader;

    /// <summary>
    /// Offers a change. As the real server does for a filtered watch, an object that starts matching
    /// arrives as ADDED and one that stops matching as DELETED.
    /// </summary>
    public void Offer(WatchEvent change)
    {
        var now = Filter.Matches(change.Object);
        var before = change.Previous is not null && Filter.Matches(change.Previous);
        var type = change.Type switch
        {
            WatchEvent.Added => now ? WatchEvent.Added : null,
            WatchEvent.Deleted => now ? WatchEvent.Deleted : null,
            _ when now && before => WatchEvent.Modified,
            _ when now => WatchEvent.Added,
            _ when before => WatchEvent.Deleted,
            _ => null,
        };
        if (type is not null) Send(new WatchFrame(type, change.Object.Utf8));
    }

    public void Send(WatchFrame frame) => frames.Writer.TryWrite(frame);

    public void Close() => frames.Writer.TryComplete();
}
