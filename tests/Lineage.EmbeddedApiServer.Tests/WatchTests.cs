using k8s;
using k8s.Models;

namespace Lineage.EmbeddedApiServer.Tests;

public sealed class WatchTests : ServerTest
{
    protected override EmbeddedApiServerOptions Options => new() { BookmarkInterval = TimeSpan.FromMilliseconds(200) };

    private WatchRecorder<Widget> WatchWidgets(string? resourceVersion = null, string? labelSelector = null, bool bookmarks = false, int? timeoutSeconds = null)
    {
        WatchRecorder<Widget>? recorder = null;
        recorder = new WatchRecorder<Widget>(token => AsWidgets(Client.CustomObjects.WatchListNamespacedCustomObjectAsync(
            Widget.Group, Widget.Version, "default", Widget.Plural,
            allowWatchBookmarks: bookmarks, labelSelector: labelSelector, resourceVersion: resourceVersion,
            timeoutSeconds: timeoutSeconds, onError: e => recorder!.OnError(e), cancellationToken: token)));
        return recorder;
    }

    private static async IAsyncEnumerable<(WatchEventType, Widget)> AsWidgets(IAsyncEnumerable<(WatchEventType, object)> events)
    {
        await foreach (var (type, item) in events) yield return (type, Widgets.As<Widget>(item));
    }

    [Fact]
    public async Task A_watch_without_resource_version_starts_with_the_existing_objects_then_streams_changes()
    {
        await Widgets.Create(Widget.Named("a"));
        await Widgets.Create(Widget.Named("b"));
        await using var watch = WatchWidgets();

        Assert.Equal((WatchEventType.Added, "a"), Name(await watch.Next()));
        Assert.Equal((WatchEventType.Added, "b"), Name(await watch.Next()));

        await Widgets.Create(Widget.Named("c"));
        await Widgets.Patch("a", new { spec = new { size = 2 } });
        await Widgets.Delete("b");

        Assert.Equal((WatchEventType.Added, "c"), Name(await watch.Next()));
        var modified = await watch.Next();
        Assert.Equal((WatchEventType.Modified, "a"), Name(modified));
        Assert.Equal(2, modified.Object.Spec!.Size);
        Assert.Equal((WatchEventType.Deleted, "b"), Name(await watch.Next()));
    }

    [Fact]
    public async Task A_watch_from_a_resource_version_replays_what_happened_after_it()
    {
        var a = await Widgets.Create(Widget.Named("a"));
        await Widgets.Patch("a", new { spec = new { size = 5 } });
        await Widgets.Create(Widget.Named("b"));

        await using var watch = WatchWidgets(resourceVersion: a.Metadata.ResourceVersion);

        var first = await watch.Next();
        Assert.Equal((WatchEventType.Modified, "a"), Name(first));
        Assert.Equal(5, first.Object.Spec!.Size);
        Assert.Equal((WatchEventType.Added, "b"), Name(await watch.Next()));
    }

    [Fact]
    public async Task A_list_then_watch_from_its_resource_version_misses_nothing()
    {
        await Widgets.Create(Widget.Named("a"));
        var list = await Widgets.List();
        await Widgets.Create(Widget.Named("b"));

        await using var watch = WatchWidgets(resourceVersion: list.Metadata.ResourceVersion);

        Assert.Equal((WatchEventType.Added, "b"), Name(await watch.Next()));
    }

    [Fact]
    public async Task Bookmarks_arrive_periodically_with_the_current_resource_version()
    {
        var a = await Widgets.Create(Widget.Named("a"));
        await using var watch = WatchWidgets(resourceVersion: a.Metadata.ResourceVersion, bookmarks: true);
        var elsewhere = await Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new() { Name = "elsewhere" } }, "default");

        // Bookmarks may come before the ConfigMap write; a later one must carry its resourceVersion.
        var bookmarks = new List<string>();
        while (!bookmarks.Contains(elsewhere.Metadata.ResourceVersion))
        {
            var next = await watch.Next(TimeSpan.FromSeconds(5));
            Assert.Equal(WatchEventType.Bookmark, next.Type);
            bookmarks.Add(next.Object.Metadata.ResourceVersion);
        }
    }

    [Fact]
    public async Task Without_allowWatchBookmarks_no_bookmarks_are_sent()
    {
        await using var watch = WatchWidgets(resourceVersion: Server.ResourceVersion.ToString());

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => watch.Next(TimeSpan.FromMilliseconds(800)));
    }

    [Fact]
    public async Task A_watch_from_a_compacted_resource_version_gets_410_Gone_and_ends()
    {
        var a = await Widgets.Create(Widget.Named("a"));
        await Widgets.Patch("a", new { spec = new { size = 2 } });
        Server.CompactHistory();

        await using var watch = WatchWidgets(resourceVersion: a.Metadata.ResourceVersion);

        Assert.True(await watch.Ended());
        var gone = Assert.IsType<KubernetesException>(Assert.Single(watch.Errors));
        Assert.Equal(410, gone.Status.Code);
        Assert.Equal("Expired", gone.Status.Reason);
    }

    [Fact]
    public async Task A_disconnected_client_expires_when_writes_and_a_compaction_happen_before_it_returns()
    {
        await using var watch = WatchWidgets(resourceVersion: Server.ResourceVersion.ToString());
        await Widgets.Create(Widget.Named("seen"));
        var last = (await watch.Next()).Object.Metadata.ResourceVersion;

        // The client is away: its stream is cut, and while it cannot come back the cluster moves on.
        Server.DropWatches();
        Server.FailNext(1000, 503, "watch=true");
        await Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new() { Name = "meanwhile" } }, "default");
        Server.CompactHistory();
        Server.ClearFailures();

        await using var again = WatchWidgets(resourceVersion: last);
        Assert.True(await again.Ended());
        Assert.Equal(410, Assert.IsType<KubernetesException>(Assert.Single(again.Errors)).Status.Code);
    }

    [Fact]
    public async Task After_compaction_a_watch_from_the_current_resource_version_still_works()
    {
        await Widgets.Create(Widget.Named("a"));
        Server.CompactHistory();
        await using var watch = WatchWidgets(resourceVersion: Server.ResourceVersion.ToString());

        await Widgets.Create(Widget.Named("b"));

        Assert.Equal((WatchEventType.Added, "b"), Name(await watch.Next()));
        Assert.Empty(watch.Errors);
    }

    [Fact]
    public async Task History_is_bounded_so_very_old_resource_versions_expire()
    {
        await using var server = await EmbeddedApiServer.StartAsync(new EmbeddedApiServerOptions { HistoryCapacity = 3 });
        using var client = new Kubernetes(server.ClientConfiguration());
        var first = await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new() { Name = "m0" } }, "default");
        for (var i = 1; i <= 4; i++)
            await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new() { Name = $"m{i}" } }, "default");

        var errors = new List<Exception>();
        var events = new List<WatchEventType>();
        await foreach (var (type, _) in client.CoreV1.WatchListNamespacedConfigMapAsync(
                           "default", resourceVersion: first.Metadata.ResourceVersion, onError: errors.Add))
            events.Add(type);

        Assert.Empty(events);
        Assert.Equal(410, Assert.IsType<KubernetesException>(Assert.Single(errors)).Status.Code);
    }

    [Fact]
    public async Task DropWatches_ends_every_open_stream()
    {
        await Widgets.Create(Widget.Named("a"));
        await using var watch = WatchWidgets();
        await watch.Next();
        Assert.Equal(1, Server.OpenWatches);

        Assert.Equal(1, Server.DropWatches());

        Assert.True(await watch.Ended());
        Assert.Equal(0, Server.OpenWatches);
    }

    [Fact]
    public async Task TimeoutSeconds_ends_the_stream()
    {
        await using var watch = WatchWidgets(resourceVersion: Server.ResourceVersion.ToString(), timeoutSeconds: 1);

        Assert.True(await watch.Ended(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task A_label_filtered_watch_sees_objects_enter_and_leave_the_selection()
    {
        await using var watch = WatchWidgets(resourceVersion: Server.ResourceVersion.ToString(), labelSelector: "team=a");
        await Widgets.Create(Widget.Named("x", labels: new Dictionary<string, string> { ["team"] = "b" }));
        await Widgets.Patch("x", new { metadata = new { labels = new { team = "a" } } });
        await Widgets.Patch("x", new { spec = new { size = 3 } });
        await Widgets.Patch("x", new { metadata = new { labels = new { team = "c" } } });

        Assert.Equal((WatchEventType.Added, "x"), Name(await watch.Next()));
        Assert.Equal((WatchEventType.Modified, "x"), Name(await watch.Next()));
        Assert.Equal((WatchEventType.Deleted, "x"), Name(await watch.Next()));
    }

#pragma warning disable CS0618 // The older helpers over ...WithHttpMessagesAsync(watch: true) must keep working too.
    [Fact]
    public async Task Typed_watches_of_built_in_kinds_work_with_the_callback_helper()
    {
        var seen = new TaskCompletionSource<V1ConfigMap>();
        var response = Client.CoreV1.ListNamespacedConfigMapWithHttpMessagesAsync("default", watch: true);
        using var watcher = response.Watch<V1ConfigMap, V1ConfigMapList>((type, map) =>
        {
            if (type == WatchEventType.Added) seen.TrySetResult(map);
        });

        await Client.CoreV1.CreateNamespacedConfigMapAsync(
            new V1ConfigMap { Metadata = new() { Name = "cm" }, Data = new Dictionary<string, string> { ["k"] = "v" } }, "default");

        var map = await seen.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("v", map.Data["k"]);
    }

    [Fact]
    public async Task A_watch_across_namespaces_sees_every_namespace()
    {
        var from = Server.ResourceVersion.ToString();
        await using var watch = new WatchRecorder<Widget>(token => Client.CustomObjects
            .ListCustomObjectForAllNamespacesWithHttpMessagesAsync(Widget.Group, Widget.Version, Widget.Plural,
                resourceVersion: from, watch: true, cancellationToken: token)
            .WatchAsync<Widget, object>(cancellationToken: token));

        await new Widgets(Client, "one").Create(Widget.Named("a"));
        await new Widgets(Client, "two").Create(Widget.Named("b"));

        Assert.Equal("one", (await watch.Next()).Object.Metadata.NamespaceProperty);
        Assert.Equal("two", (await watch.Next()).Object.Metadata.NamespaceProperty);
    }

#pragma warning restore CS0618

    private static (WatchEventType, string) Name((WatchEventType Type, Widget Object) e) => (e.Type, e.Object.Metadata.Name);
}
