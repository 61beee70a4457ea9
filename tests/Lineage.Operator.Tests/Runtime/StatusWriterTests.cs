using Lineage.Operator.Runtime;

namespace Lineage.Operator.Tests.Runtime;

public sealed class StatusWriterTests
{
    [Fact]
    public async Task An_unchanged_status_is_not_written()
    {
        await using var api = await ApiServer.StartAsync();
        var widgets = new ResourceClient<Widget>(api.Client);
        var writer = new StatusWriter<Widget>(widgets);
        var w = await widgets.CreateAsync(Widget.Named("team", "w", size: 3), default);

        var first = await writer.UpdateAsync(w.Key(), w, x => x.Status = new WidgetStatus { ObservedSize = x.Spec.Size, Phase = "Ready" }, default);
        var second = await writer.UpdateAsync(w.Key(), first, x => x.Status = new WidgetStatus { ObservedSize = x.Spec.Size, Phase = "Ready" }, default);

        Assert.Equal(1, api.Server.Requests.Count("update", "widgets", "status"));
        Assert.Equal(first!.Metadata.ResourceVersion, second!.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task The_mutation_applies_to_a_copy_so_the_callers_object_is_untouched()
    {
        await using var api = await ApiServer.StartAsync();
        var widgets = new ResourceClient<Widget>(api.Client);
        var w = await widgets.CreateAsync(Widget.Named("team", "w"), default);

        await new StatusWriter<Widget>(widgets).UpdateAsync(w.Key(), w, x => x.Status = new WidgetStatus { Phase = "Ready" }, default);
        Assert.Null(w.Status);
    }

    [Fact]
    public async Task A_conflict_from_a_concurrent_writer_is_retried_on_the_fresh_object()
    {
        await using var api = await ApiServer.StartAsync();
        var widgets = new ResourceClient<Widget>(api.Client);
        var stale = await widgets.CreateAsync(Widget.Named("team", "w", size: 1), default);
        var fresh = await widgets.GetAsync(stale.Key(), default);
        fresh!.Spec.Size = 5;
        await widgets.ReplaceAsync(fresh, default);

        var written = await new StatusWriter<Widget>(widgets).UpdateAsync(stale.Key(), stale, x => x.Status = new WidgetStatus { ObservedSize = x.Spec.Size }, default);

        Assert.Equal(5, written!.Status!.ObservedSize);
        var statusWrites = api.Server.Requests.All.Where(r => r.Resource == "widgets" && r.Subresource == "status").Select(r => r.StatusCode).ToList();
        Assert.Equal([409, 200], statusWrites);
    }

    [Fact]
    public async Task Concurrent_writers_lose_no_update()
    {
        await using var api = await ApiServer.StartAsync();
        var widgets = new ResourceClient<Widget>(api.Client);
        var w = await widgets.CreateAsync(Widget.Named("team", "counter"), default);
        var writer = new StatusWriter<Widget>(widgets);

        await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < 10; i++)
                await writer.UpdateAsync(w.Key(), x => x.Status = new WidgetStatus { Writes = (x.Status?.Writes ?? 0) + 1 }, default);
        })));

        Assert.Equal(30, (await widgets.GetAsync(w.Key(), default))!.Status!.Writes);
        Assert.True(api.Server.Requests.All.Any(r => r.Subresource == "status" && r.StatusCode == 409), "expected the writers to collide at least once");
    }

    [Fact]
    public async Task A_gone_object_gives_null_and_writes_nothing()
    {
        await using var api = await ApiServer.StartAsync();
        var widgets = new ResourceClient<Widget>(api.Client);
        var result = await new StatusWriter<Widget>(widgets).UpdateAsync(new ObjectKey("team", "ghost"), x => x.Status = new WidgetStatus(), default);
        Assert.Null(result);
        Assert.Equal(0, api.Server.Requests.Writes());
    }

    [Fact]
    public async Task A_finalizer_is_added_once_and_removing_it_lets_deletion_finish()
    {
        await using var api = await ApiServer.StartAsync();
        var widgets = new ResourceClient<Widget>(api.Client);
        var metadata = new MetadataWriter<Widget>(widgets);
        var w = await widgets.CreateAsync(Widget.Named("team", "w"), default);

        var withFinalizer = await metadata.AddFinalizerAsync(w.Key(), w, "test.lineage.dev/cleanup", default);
        await metadata.AddFinalizerAsync(w.Key(), withFinalizer, "test.lineage.dev/cleanup", default);
        Assert.Equal(1, api.Server.Requests.Count("update", "widgets"));

        await widgets.DeleteAsync(w.Key(), default);
        var deleting = await widgets.GetAsync(w.Key(), default);
        Assert.NotNull(deleting!.Metadata.DeletionTimestamp);

        await metadata.RemoveFinalizerAsync(w.Key(), null, "test.lineage.dev/cleanup", default);
        Assert.Null(await widgets.GetAsync(w.Key(), default));
    }
}
