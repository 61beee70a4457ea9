using k8s.Models;
using Lineage.Operator.Runtime;

namespace Lineage.Operator.Tests.Runtime;

public sealed class EventRecorderTests
{
    [Fact]
    public async Task An_event_names_its_object_and_a_repeat_bumps_the_count()
    {
        await using var api = await ApiServer.StartAsync();
        var events = new ResourceClient<Corev1Event>(api.Client);
        var recorder = new EventRecorder(events, "lineage-operator");
        var w = await new ResourceClient<Widget>(api.Client).CreateAsync(Widget.Named("team", "w"), default);

        await recorder.RecordAsync(w, EventType.Warning, "BadSpec", "size must be positive", default);
        await recorder.RecordAsync(w, EventType.Warning, "BadSpec", "size must be positive", default);
        await recorder.RecordAsync(w, EventType.Normal, "Ready", "widget is ready", default);

        var recorded = await events.ListAsync("team", null, default);
        Assert.Equal(2, recorded.Count);
        var bad = recorded.Single(e => e.Reason == "BadSpec");
        Assert.Equal(2, bad.Count);
        Assert.Equal("Warning", bad.Type);
        Assert.Equal("size must be positive", bad.Message);
        Assert.Equal(("Widget", "w", w.Metadata.Uid, Widget.Api), (bad.InvolvedObject.Kind, bad.InvolvedObject.Name, bad.InvolvedObject.Uid, bad.InvolvedObject.ApiVersion));
        Assert.Equal("lineage-operator", bad.Source.Component);
        Assert.Equal(1, recorded.Single(e => e.Reason == "Ready").Count);
    }

    [Fact]
    public async Task A_failure_to_record_is_not_thrown_into_the_reconcile()
    {
        await using var api = await ApiServer.StartAsync();
        var recorder = new EventRecorder(new ResourceClient<Corev1Event>(api.Client), "lineage-operator");
        api.Server.FailNext(1, 500, "/events", "POST");
        var w = Widget.Named("team", "w");
        await recorder.RecordAsync(w, EventType.Normal, "Ready", "fine", default);
        Assert.Equal(1, api.Server.Requests.Count("create", "events"));
    }

    [Fact]
    public async Task A_message_past_the_kubernetes_note_limit_is_cut_to_it_without_splitting_a_character()
    {
        await using var api = await ApiServer.StartAsync();
        var events = new ResourceClient<Corev1Event>(api.Client);
        var recorder = new EventRecorder(events, "lineage-operator");
        var w = await new ResourceClient<Widget>(api.Client).CreateAsync(Widget.Named("team", "w"), default);
        var message = string.Concat(Enumerable.Repeat("score 0.36 → 0.41 ", 100)); // "→" is 3 bytes in UTF-8

        await recorder.RecordAsync(w, EventType.Normal, "Born", message, default);
        await recorder.RecordAsync(w, EventType.Normal, "Ready", "fits", default);

        var recorded = await events.ListAsync("team", null, default);
        var cut = recorded.Single(e => e.Reason == "Born").Message;
        Assert.InRange(System.Text.Encoding.UTF8.GetByteCount(cut), EventRecorder.MaxMessageBytes - 3, EventRecorder.MaxMessageBytes);
        Assert.EndsWith(" ...", cut, StringComparison.Ordinal);
        Assert.StartsWith(cut[..^4], message, StringComparison.Ordinal);
        Assert.Equal("fits", recorded.Single(e => e.Reason == "Ready").Message);
    }
}
