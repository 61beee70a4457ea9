using k8s.Autorest;
using k8s.Models;
using Lineage.Operator.Runtime;

namespace Lineage.Operator.Tests.Runtime;

public sealed class ResourceClientTests
{
    [Fact]
    public async Task A_custom_kind_round_trips_through_create_get_list_replace_status_and_delete()
    {
        await using var api = await ApiServer.StartAsync();
        var widgets = new ResourceClient<Widget>(api.Client);
        var key = new ObjectKey("team", "w1");

        Assert.Null(await widgets.GetAsync(key, default));
        var created = await widgets.CreateAsync(Widget.Named("team", "w1", size: 3), default);
        Assert.False(string.IsNullOrEmpty(created.Metadata.Uid));

        created.Spec.Size = 4;
        var replaced = await widgets.ReplaceAsync(created, default);
        Assert.Equal(2, replaced.Metadata.Generation);

        replaced.Status = new WidgetStatus { ObservedSize = 4, Phase = "Ready" };
        var withStatus = await widgets.ReplaceStatusAsync(replaced, default);
        Assert.Equal("Ready", withStatus.Status?.Phase);
        Assert.Equal(2, withStatus.Metadata.Generation);

        await widgets.CreateAsync(Widget.Named("other", "w2"), default);
        Assert.Single(await widgets.ListAsync("team", null, default));
        Assert.Equal(2, (await widgets.ListAsync(null, null, default)).Count);

        await widgets.DeleteAsync(key, default);
        await widgets.DeleteAsync(key, default);
        Assert.Null(await widgets.GetAsync(key, default));
    }

    [Fact]
    public async Task A_stale_write_is_a_409_conflict()
    {
        await using var api = await ApiServer.StartAsync();
        var widgets = new ResourceClient<Widget>(api.Client);
        var first = await widgets.CreateAsync(Widget.Named("team", "w"), default);
        var stale = await widgets.GetAsync(first.Key(), default);
        first.Spec.Size = 2;
        await widgets.ReplaceAsync(first, default);

        stale!.Spec.Size = 3;
        var error = await Assert.ThrowsAsync<HttpOperationException>(() => widgets.ReplaceAsync(stale, default));
        Assert.True(ApiErrors.IsConflict(error));
    }

    [Fact]
    public async Task A_create_of_an_object_that_exists_is_refused_with_the_servers_reason_naming_the_object()
    {
        await using var api = await ApiServer.StartAsync();
        var widgets = new ResourceClient<Widget>(api.Client);
        await widgets.CreateAsync(Widget.Named("team", "w"), default);

        var error = await Assert.ThrowsAsync<HttpOperationException>(() => widgets.CreateAsync(Widget.Named("team", "w"), default));

        Assert.True(ApiErrors.IsAlreadyExists(error));
        Assert.Contains("Widget w", error.Message);
        Assert.Contains("409", error.Message);
    }

    [Fact]
    public async Task A_write_sends_its_body_as_utf8_json_that_the_server_stores_exactly()
    {
        await using var api = await ApiServer.StartAsync();
        var widgets = new ResourceClient<Widget>(api.Client);
        var sent = Widget.Named("team", "w", size: 7);
        sent.Metadata.Annotations = new Dictionary<string, string> { ["note"] = "café ✓ \"quoted\" \\ 𝄞", ["empty"] = "" };

        var created = await widgets.CreateAsync(sent, default);

        var stored = (await widgets.GetAsync(created.Key(), default))!;
        Assert.Equal(sent.Metadata.Annotations, stored.Metadata.Annotations);
        Assert.Equal(sent.Metadata.Annotations, created.Metadata.Annotations);
        Assert.Equal(7, stored.Spec.Size);
    }

    [Fact]
    public async Task Built_in_kinds_of_the_core_and_batch_groups_use_the_same_client()
    {
        await using var api = await ApiServer.StartAsync();
        var configMaps = new ResourceClient<V1ConfigMap>(api.Client);
        var jobs = new ResourceClient<V1Job>(api.Client);

        await configMaps.CreateAsync(new V1ConfigMap
        {
            ApiVersion = "v1", Kind = "ConfigMap",
            Metadata = new V1ObjectMeta { Name = "cfg", NamespaceProperty = "team" },
            Data = new Dictionary<string, string> { ["a"] = "1" },
        }, default);
        await jobs.CreateAsync(new V1Job
        {
            ApiVersion = "batch/v1", Kind = "Job",
            Metadata = new V1ObjectMeta { Name = "train", NamespaceProperty = "team" },
            Spec = new V1JobSpec { Template = new V1PodTemplateSpec { Spec = new V1PodSpec { Containers = [new V1Container { Name = "t", Image = "x" }] } } },
        }, default);

        Assert.Equal("1", (await configMaps.GetAsync(new ObjectKey("team", "cfg"), default))!.Data["a"]);
        var job = (await jobs.GetAsync(new ObjectKey("team", "train"), default))!;
        job.Status = new V1JobStatus { Succeeded = 1 };
        await jobs.ReplaceStatusAsync(job, default);
        Assert.Equal(1, (await jobs.GetAsync(job.Key(), default))!.Status.Succeeded);
        Assert.Equal(1, api.Server.Requests.Count("create", "configmaps"));
        Assert.Equal(1, api.Server.Requests.Count("update", "jobs", "status"));
    }

    [Fact]
    public async Task A_writes_answer_is_the_object_whole_but_without_the_managed_fields_the_server_keeps()
    {
        await using var api = await ApiServer.StartAsync();
        var widgets = new ResourceClient<Widget>(api.Client, fieldManager: "test");
        var sent = Widget.Named("team", "w", size: 5);
        sent.Metadata.Labels = new Dictionary<string, string> { ["tier"] = "gold" };

        var created = await widgets.CreateAsync(sent, default);
        created.Spec.Size = 6;
        var replaced = await widgets.ReplaceAsync(created, default);
        replaced.Status = new WidgetStatus { ObservedSize = 6, Phase = "Ready" };
        var written = await widgets.ReplaceStatusAsync(replaced, default);

        Assert.All(new[] { created, replaced, written }, answer => Assert.Null(answer.Metadata.ManagedFields));
        Assert.Equal((6, 2L, "Ready", "gold"), (written.Spec.Size, written.Metadata.Generation ?? 0, written.Status?.Phase, written.Metadata.Labels["tier"]));
        Assert.False(string.IsNullOrEmpty(written.Metadata.Uid));
        // The server still keeps them, for every manager and subresource that wrote: a PUT without them left them alone.
        var stored = (await widgets.ListAsync("team", null, default)).Single();
        Assert.Equal(written.Metadata.ResourceVersion, stored.Metadata.ResourceVersion);
        Assert.Equal(["/test", "status/test"], stored.Metadata.ManagedFields.Select(f => $"{f.Subresource}/{f.Manager}").Order());
    }

    [Fact]
    public async Task A_watch_delivers_each_object_whole_but_without_its_managed_fields_and_bookmarks_their_version()
    {
        await using var api = await ApiServer.StartAsync(new Lineage.EmbeddedApiServer.EmbeddedApiServerOptions { BookmarkInterval = TimeSpan.FromMilliseconds(200) });
        var widgets = new ResourceClient<Widget>(api.Client, fieldManager: "test");
        var start = await widgets.ListAllAsync("team", default);
        var created = Widget.Named("team", "w", size: 5);
        created.Metadata.Labels = new Dictionary<string, string> { ["tier"] = "gold" };
        created = await widgets.CreateAsync(created, default);
        Assert.NotEmpty((await widgets.ListAsync("team", null, default)).Single().Metadata.ManagedFields); // the server sends them: the watch below must drop them
        created.Status = new WidgetStatus { ObservedSize = 5, Phase = "Ready" };
        var written = await widgets.ReplaceStatusAsync(created, default);

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var events = new List<ResourceEvent<Widget>>();
        await foreach (var e in widgets.WatchAsync("team", start.ResourceVersion, TimeSpan.FromSeconds(20), timeout.Token))
        {
            events.Add(e);
            if (e.Type == k8s.WatchEventType.Bookmark && events.Count(x => x.Object is not null) == 2) break;
        }

        var added = events.First(e => e.Type == k8s.WatchEventType.Added).Object!;
        var modified = events.First(e => e.Type == k8s.WatchEventType.Modified).Object!;
        Assert.Equal(5, added.Spec.Size);
        Assert.Equal("gold", added.Metadata.Labels["tier"]);
        Assert.Equal(created.Metadata.Uid, added.Metadata.Uid);
        Assert.Equal(created.Metadata.CreationTimestamp, added.Metadata.CreationTimestamp);
        Assert.Equal("Ready", modified.Status?.Phase);
        Assert.Equal(written.Metadata.ResourceVersion, modified.Metadata.ResourceVersion);
        Assert.All(events.Where(e => e.Object is not null), e => Assert.Null(e.Object!.Metadata.ManagedFields));
        var bookmark = events.Last();
        Assert.Null(bookmark.Object);
        Assert.False(string.IsNullOrEmpty(bookmark.ResourceVersion));
    }

    [Fact]
    public async Task Watched_objects_share_the_strings_they_repeat_and_keep_every_value_exact()
    {
        await using var api = await ApiServer.StartAsync();
        var widgets = new ResourceClient<Widget>(api.Client);
        var start = await widgets.ListAllAsync("team", default);
        var parents = new[] { "plain-parent", "père \"quoted\" \\ tab\t", new string('p', 300) };
        for (var i = 0; i < parents.Length; i++)
        {
            var w = Widget.Named("team", $"w{i}", parent: parents[i]);
            w.Metadata.Labels = new Dictionary<string, string> { ["lineage.dev/lineage"] = "shared-value" };
            await widgets.CreateAsync(w, default);
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var seen = new List<Widget>();
        await foreach (var e in widgets.WatchAsync("team", start.ResourceVersion, TimeSpan.FromSeconds(20), timeout.Token))
            if (e.Object is { } obj && seen.Count < parents.Length) { seen.Add(obj); if (seen.Count == parents.Length) break; }

        Assert.Equal(parents, seen.OrderBy(w => w.Metadata.Name).Select(w => w.Spec.Parent));
        var (a, b) = (seen[0], seen[1]);
        Assert.Same(a.Metadata.NamespaceProperty, b.Metadata.NamespaceProperty);
        Assert.Same(a.ApiVersion, b.ApiVersion);
        Assert.Same(a.Metadata.Labels.Keys.Single(), b.Metadata.Labels.Keys.Single());
        Assert.Same(a.Metadata.Labels["lineage.dev/lineage"], b.Metadata.Labels["lineage.dev/lineage"]);
        Assert.NotEqual(a.Metadata.Uid, b.Metadata.Uid);
    }

    [Fact]
    public async Task A_watch_from_a_version_the_server_forgot_yields_a_410_error_event()
    {
        await using var api = await ApiServer.StartAsync();
        var widgets = new ResourceClient<Widget>(api.Client);
        var start = await widgets.ListAllAsync("team", default);
        await widgets.CreateAsync(Widget.Named("team", "w"), default);
        await widgets.CreateAsync(Widget.Named("team", "v"), default);
        api.Server.CompactHistory();

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var events = new List<ResourceEvent<Widget>>();
        await foreach (var e in widgets.WatchAsync("team", start.ResourceVersion, TimeSpan.FromSeconds(20), timeout.Token))
        {
            events.Add(e);
            if (e.Type == k8s.WatchEventType.Error) break;
        }

        var error = Assert.Single(events);
        Assert.Equal((k8s.WatchEventType.Error, 410), (error.Type, error.ErrorCode));
        Assert.False(string.IsNullOrEmpty(error.ErrorMessage));
    }

    [Fact]
    public async Task A_refused_watch_throws_the_clients_own_exception_with_the_status()
    {
        await using var api = await ApiServer.StartAsync();
        var widgets = new ResourceClient<Widget>(api.Client);
        var start = await widgets.ListAllAsync("team", default);
        api.Server.FailNext(1, 503, "watch=true");

        var error = await Assert.ThrowsAsync<HttpOperationException>(async () =>
        {
            await foreach (var _ in widgets.WatchAsync("team", start.ResourceVersion, TimeSpan.FromSeconds(5), default)) { }
        });

        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, ApiErrors.StatusOf(error));
        Assert.Contains("widgets", error.Message);
    }

    [Fact]
    public async Task Server_errors_other_than_not_found_surface_as_exceptions()
    {
        await using var api = await ApiServer.StartAsync();
        var widgets = new ResourceClient<Widget>(api.Client);
        api.Server.FailNext(1, 500, "/widgets/w", "GET");
        var error = await Assert.ThrowsAsync<HttpOperationException>(() => widgets.GetAsync(new ObjectKey("team", "w"), default));
        Assert.Equal(System.Net.HttpStatusCode.InternalServerError, ApiErrors.StatusOf(error));
    }
}
