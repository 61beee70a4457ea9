using System.Collections.Concurrent;
using Lineage.Operator.Runtime;
using static Lineage.Operator.Tests.Runtime.ControllerWorkerTests;

namespace Lineage.Operator.Tests.Runtime;

public sealed class InformerTests
{
    sealed class Recorder
    {
        public readonly ConcurrentQueue<(string Name, int Size, bool Present)> Seen = new();
        public bool Saw(string name, int size) => Seen.Any(s => s.Name == name && s.Size == size);
    }

    static (Informer<Widget> Informer, Recorder Recorder, Task Run, CancellationTokenSource Stop) Start(ApiServer api, InformerOptions? options = null)
    {
        var informer = new Informer<Widget>(new ResourceClient<Widget>(api.Client), options ?? new InformerOptions { ResyncPeriod = TimeSpan.Zero });
        var recorder = new Recorder();
        informer.AddHandler(w => recorder.Seen.Enqueue((w.Metadata.Name, w.Spec.Size, informer.Get(w.Key()) is not null)));
        var stop = new CancellationTokenSource();
        return (informer, recorder, informer.RunAsync(stop.Token), stop);
    }

    [Fact]
    public async Task Delivers_objects_that_exist_then_adds_updates_and_deletes()
    {
        await using var api = await ApiServer.StartAsync();
        var widgets = new ResourceClient<Widget>(api.Client);
        await widgets.CreateAsync(Widget.Named("team", "before"), default);

        var (informer, recorder, run, stop) = Start(api);
        await informer.WhenSynced.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(recorder.Saw("before", 1));

        var added = await widgets.CreateAsync(Widget.Named("team", "w", size: 1), default);
        await WaitUntil(() => recorder.Saw("w", 1));
        added.Spec.Size = 2;
        await widgets.ReplaceAsync(added, default);
        await WaitUntil(() => recorder.Saw("w", 2));
        await widgets.DeleteAsync(added.Key(), default);
        await WaitUntil(() => informer.Get(added.Key()) is null);

        Assert.Contains(("w", 2, false), recorder.Seen);
        Assert.Equal(1, informer.Lists);
        stop.Cancel();
        await run.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task An_index_finds_objects_by_value_and_follows_updates_and_deletes_without_a_scan()
    {
        await using var api = await ApiServer.StartAsync();
        var widgets = new ResourceClient<Widget>(api.Client);
        await widgets.CreateAsync(Widget.Named("team", "listed", parent: "p1"), default);
        var informer = new Informer<Widget>(widgets, new InformerOptions { ResyncPeriod = TimeSpan.Zero });
        informer.AddIndex("parent", w => w.Spec.Parent is { } p ? [p] : []);
        using var stop = new CancellationTokenSource();
        var run = informer.RunAsync(stop.Token);
        await informer.WhenSynced.WaitAsync(TimeSpan.FromSeconds(10));
        string[] Children(string parent) => [.. informer.ByIndex("parent", parent).Select(w => w.Metadata.Name).Order()];

        Assert.Equal(["listed"], Children("p1"));
        var moved = await widgets.CreateAsync(Widget.Named("team", "moved", parent: "p1"), default);
        await WaitUntil(() => Children("p1").Length == 2);
        moved.Spec.Parent = "p2";
        await widgets.ReplaceAsync(moved, default);
        await WaitUntil(() => Children("p2").Length == 1);
        Assert.Equal(["listed"], Children("p1"));
        await widgets.DeleteAsync(new ObjectKey("team", "listed"), default);
        await WaitUntil(() => Children("p1").Length == 0);
        Assert.Equal(["moved"], Children("p2"));
        Assert.Empty(Children("nobody"));
        Assert.Throws<InvalidOperationException>(() => informer.ByIndex("owner", "x"));
        Assert.Throws<InvalidOperationException>(() => informer.AddIndex("late", _ => []));
        stop.Cancel();
        await run.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Slim_drops_fields_from_what_is_cached_and_delivered_not_from_the_server_and_cannot_be_set_late()
    {
        await using var api = await ApiServer.StartAsync();
        var widgets = new ResourceClient<Widget>(api.Client);
        await widgets.CreateAsync(Widget.Named("team", "listed", parent: "p"), default);
        var informer = new Informer<Widget>(widgets, new InformerOptions { ResyncPeriod = TimeSpan.Zero });
        informer.Slim(w => w.Spec.Parent = null);
        var delivered = new ConcurrentQueue<string?>();
        informer.AddHandler(w => delivered.Enqueue(w.Spec.Parent));
        using var stop = new CancellationTokenSource();
        var run = informer.RunAsync(stop.Token);
        await informer.WhenSynced.WaitAsync(TimeSpan.FromSeconds(10));

        var watched = await widgets.CreateAsync(Widget.Named("team", "watched", parent: "p"), default);
        await WaitUntil(() => informer.Get(watched.Key()) is not null);
        Assert.Null(informer.Get(new ObjectKey("team", "listed"))!.Spec.Parent);
        Assert.Null(informer.Get(watched.Key())!.Spec.Parent);
        Assert.All(delivered, Assert.Null);
        Assert.Equal("p", (await widgets.GetAsync(watched.Key(), default))!.Spec.Parent);
        Assert.Throws<InvalidOperationException>(() => informer.Slim(_ => { }));
        stop.Cancel();
        await run.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Reconnects_after_the_server_drops_its_watches_without_listing_again()
    {
        await using var api = await ApiServer.StartAsync();
        var widgets = new ResourceClient<Widget>(api.Client);
        var (informer, recorder, run, stop) = Start(api);
        await informer.WhenSynced.WaitAsync(TimeSpan.FromSeconds(10));
        await WaitUntil(() => api.Server.OpenWatches == 1);

        Assert.Equal(1, api.Server.DropWatches());
        await WaitUntil(() => informer.WatchRestarts >= 1 && api.Server.OpenWatches == 1);
        await widgets.CreateAsync(Widget.Named("team", "after-drop", size: 5), default);
        await WaitUntil(() => recorder.Saw("after-drop", 5));

        Assert.Equal(1, informer.Lists);
        Assert.Equal(0, informer.Relists);
        stop.Cancel();
        await run.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Lists_again_after_410_Gone_and_delivers_what_changed_while_disconnected()
    {
        await using var api = await ApiServer.StartAsync();
        var widgets = new ResourceClient<Widget>(api.Client);
        var kept = await widgets.CreateAsync(Widget.Named("team", "kept"), default);
        var doomed = await widgets.CreateAsync(Widget.Named("team", "doomed"), default);
        var (informer, recorder, run, stop) = Start(api);
        await informer.WhenSynced.WaitAsync(TimeSpan.FromSeconds(10));
        await WaitUntil(() => api.Server.OpenWatches == 1);

        // Keep the informer away long enough to miss events, then expire its resourceVersion.
        api.Server.FailNext(3, 500, "watch=true");
        api.Server.DropWatches();
        await widgets.DeleteAsync(doomed.Key(), default);
        await widgets.CreateAsync(Widget.Named("team", "born", size: 7), default);
        api.Server.CompactHistory();

        await WaitUntil(() => informer.Relists == 1 && recorder.Saw("born", 7) && informer.Get(doomed.Key()) is null);
        Assert.Contains(("doomed", 1, false), recorder.Seen);
        Assert.Equal(1, recorder.Seen.Count(s => s.Name == "kept"));
        Assert.NotNull(informer.Get(kept.Key()));

        await widgets.CreateAsync(Widget.Named("team", "later", size: 9), default);
        await WaitUntil(() => recorder.Saw("later", 9));
        stop.Cancel();
        await run.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Bookmarks_advance_the_resourceVersion_so_a_quiet_informer_does_not_expire()
    {
        await using var api = await ApiServer.StartAsync(new() { BookmarkInterval = TimeSpan.FromMilliseconds(100), HistoryCapacity = 3 });
        var widgets = new ResourceClient<Widget>(api.Client);
        var (informer, recorder, run, stop) = Start(api);
        await informer.WhenSynced.WaitAsync(TimeSpan.FromSeconds(10));

        // Changes to another kind move the global resourceVersion; a bookmark carries it to the informer.
        for (var i = 0; i < 5; i++)
            await new ResourceClient<k8s.Models.V1ConfigMap>(api.Client).CreateAsync(new k8s.Models.V1ConfigMap
            {
                ApiVersion = "v1", Kind = "ConfigMap", Metadata = new() { Name = $"c{i}", NamespaceProperty = "team" },
            }, default);
        var before = api.Server.ResourceVersion;
        // The five writes pushed the informer's list resourceVersion out of the 3-event history; only a bookmark saves it.
        await Task.Delay(1500); // many bookmark intervals, even on a loaded machine
        api.Server.DropWatches();
        await widgets.CreateAsync(Widget.Named("team", "w", size: 2), default);
        await WaitUntil(() => recorder.Saw("w", 2));

        Assert.True(before > 5);
        Assert.Equal(0, informer.Relists);
        stop.Cancel();
        await run.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Resync_delivers_every_cached_object_again_without_asking_the_server()
    {
        await using var api = await ApiServer.StartAsync();
        var widgets = new ResourceClient<Widget>(api.Client);
        await widgets.CreateAsync(Widget.Named("team", "a"), default);
        await widgets.CreateAsync(Widget.Named("team", "b"), default);
        var (informer, recorder, run, stop) = Start(api, new InformerOptions { ResyncPeriod = TimeSpan.FromMilliseconds(200) });
        await informer.WhenSynced.WaitAsync(TimeSpan.FromSeconds(10));
        var listsBefore = api.Server.Requests.Count("list", "widgets");

        await WaitUntil(() => recorder.Seen.Count(s => s.Name == "a") >= 3);
        Assert.Equal(listsBefore, api.Server.Requests.Count("list", "widgets"));
        stop.Cancel();
        await run.WaitAsync(TimeSpan.FromSeconds(10));
    }
}
