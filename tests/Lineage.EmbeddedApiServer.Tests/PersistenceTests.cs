using k8s;
using k8s.Models;
using Microsoft.Data.Sqlite;

namespace Lineage.EmbeddedApiServer.Tests;

/// <summary>A server restarted on the same data file loses nothing; a watch from before the restart replays or gets 410.</summary>
public sealed class PersistenceTests : IAsyncLifetime
{
    private readonly DirectoryInfo work = Directory.CreateTempSubdirectory("lineage-apiserver-state");
    private string DataFile => Path.Combine(work.FullName, "state", "apiserver.db");
    private string Crds => Path.Combine(AppContext.BaseDirectory, "crds");

    private Task<EmbeddedApiServer> StartAsync(int historyCapacity = 10_000) =>
        EmbeddedApiServer.StartAsync(new EmbeddedApiServerOptions { DataFile = DataFile, CrdDirectory = Crds, HistoryCapacity = historyCapacity });

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        work.Delete(recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_restarted_server_serves_the_same_objects_uids_resource_versions_crds_and_namespaces()
    {
        Widget created;
        V1Namespace team;
        long lastVersion;
        await using (var server = await StartAsync())
        {
            using var client = new Kubernetes(server.ClientConfiguration());
            team = await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "team" } });
            var widgets = new Widgets(client, "team");
            created = await widgets.Create(Widget.Named("w1", size: 3, labels: new Dictionary<string, string> { ["tier"] = "gold" }));
            await widgets.PatchStatus("w1", new { status = new { phase = "Ready" } });
            await widgets.Create(Widget.Named("gone"));
            await widgets.Delete("gone");
            lastVersion = server.ResourceVersion;
        }

        // No CRD directory this time: the CRDs themselves come back from the file.
        await using var restarted = await EmbeddedApiServer.StartAsync(new EmbeddedApiServerOptions { DataFile = DataFile });
        using var again = new Kubernetes(restarted.ClientConfiguration());
        var widget = await new Widgets(again, "team").Get("w1");

        Assert.Equal(lastVersion, restarted.ResourceVersion);
        Assert.Equal(created.Metadata.Uid, widget.Metadata.Uid);
        Assert.Equal("Ready", widget.Status!.Phase);
        Assert.Equal(3, widget.Spec!.Size);
        Assert.Equal("gold", widget.Metadata.Labels["tier"]);
        Assert.Empty((await new Widgets(again, "team").List(fieldSelector: "metadata.name=gone")).Items);
        Assert.Equal(team.Metadata.Uid, (await again.CoreV1.ReadNamespaceAsync("team")).Metadata.Uid);
        Assert.Single((await again.CoreV1.ListNamespaceAsync(fieldSelector: "metadata.name=default")).Items);

        var next = await new Widgets(again, "team").Create(Widget.Named("w2"));
        Assert.True(long.Parse(next.Metadata.ResourceVersion) > lastVersion, "resourceVersions must keep increasing across restarts");
    }

    [Fact]
    public async Task An_acknowledged_write_is_in_the_file_before_the_answer_even_if_the_server_never_stops()
    {
        // The first server is not stopped (as after a crash): a second one opening the file sees every acknowledged write.
        await using var first = await StartAsync();
        using var client = new Kubernetes(first.ClientConfiguration());
        var widget = await new Widgets(client).Create(Widget.Named("w"));
        await new Widgets(client).PatchStatus("w", new { status = new { phase = "Ready" } });

        await using var second = await EmbeddedApiServer.StartAsync(new EmbeddedApiServerOptions { DataFile = DataFile });
        using var reader = new Kubernetes(second.ClientConfiguration());
        var read = await new Widgets(reader).Get("w");

        Assert.Equal(widget.Metadata.Uid, read.Metadata.Uid);
        Assert.Equal("Ready", read.Status!.Phase);
        Assert.Equal(first.ResourceVersion, second.ResourceVersion);
    }

    [Fact]
    public async Task A_watch_from_before_the_restart_replays_what_happened_after_it()
    {
        string from;
        await using (var server = await StartAsync())
        {
            using var client = new Kubernetes(server.ClientConfiguration());
            var widgets = new Widgets(client);
            from = (await widgets.Create(Widget.Named("a"))).Metadata.ResourceVersion;
            await widgets.Patch("a", new { spec = new { size = 7 } });
            await widgets.Create(Widget.Named("b"));
            await widgets.Delete("b");
        }

        await using var restarted = await StartAsync();
        using var again = new Kubernetes(restarted.ClientConfiguration());
        await using var watch = new WatchRecorder<object>(token => again.CustomObjects.WatchListNamespacedCustomObjectAsync(
            Widget.Group, Widget.Version, "default", Widget.Plural, resourceVersion: from, cancellationToken: token));

        var events = new[] { await watch.Next(), await watch.Next(), await watch.Next() }
            .Select(e => (e.Type, Widgets.As<Widget>(e.Object).Metadata.Name)).ToList();
        Assert.Equal([(WatchEventType.Modified, "a"), (WatchEventType.Added, "b"), (WatchEventType.Deleted, "b")], events);
    }

    [Fact]
    public async Task After_a_compaction_a_watch_from_before_it_gets_410_Gone_across_a_restart_and_the_file_shrinks()
    {
        string from;
        long rowsBefore;
        await using (var server = await StartAsync())
        {
            using var client = new Kubernetes(server.ClientConfiguration());
            var widgets = new Widgets(client);
            from = (await widgets.Create(Widget.Named("a"))).Metadata.ResourceVersion;
            for (var size = 2; size < 30; size++) await widgets.Patch("a", new { spec = new { size } });
            rowsBefore = Rows();
            server.CompactHistory();
        }

        Assert.True(Rows() < rowsBefore - 25, $"compaction should drop superseded rows ({rowsBefore} before, {Rows()} after)");
        await using var restarted = await StartAsync();
        using var again = new Kubernetes(restarted.ClientConfiguration());
        Assert.Equal(29, (await new Widgets(again).Get("a")).Spec!.Size);
        await using var watch = new WatchRecorder<object>(token => again.CustomObjects.WatchListNamespacedCustomObjectAsync(
            Widget.Group, Widget.Version, "default", Widget.Plural, resourceVersion: from, onError: e => { }, cancellationToken: token));
        Assert.True(await watch.Ended(), "the watch should end with a 410 ERROR event");
    }

    [Fact]
    public async Task A_CRD_directory_with_a_newer_CRD_updates_the_stored_one_on_restart()
    {
        await using (await StartAsync())
        {
        }
        var newer = Path.Combine(work.FullName, "newer");
        Directory.CreateDirectory(newer);
        File.WriteAllText(Path.Combine(newer, "widgets.yaml"), File.ReadAllText(Path.Combine(Crds, "widgets.yaml")).Replace("shortNames: [wd]", "shortNames: [wd, wdg]"));

        await using var restarted = await EmbeddedApiServer.StartAsync(new EmbeddedApiServerOptions { DataFile = DataFile, CrdDirectory = newer });
        using var client = new Kubernetes(restarted.ClientConfiguration());

        var crd = await client.ApiextensionsV1.ReadCustomResourceDefinitionAsync("widgets.test.lineage.dev");
        Assert.Equal(["wd", "wdg"], crd.Spec.Names.ShortNames);
        Assert.Equal(2, crd.Metadata.Generation);
    }

    [Fact]
    public async Task Dry_run_writes_nothing_to_the_file()
    {
        await using var server = await StartAsync();
        using var client = new Kubernetes(server.ClientConfiguration());
        var rows = Rows();

        await client.CustomObjects.CreateNamespacedCustomObjectAsync(Widget.Named("dry"), Widget.Group, Widget.Version, "default", Widget.Plural, dryRun: "All");

        Assert.Equal(rows, Rows());
    }

    [Fact]
    public async Task A_file_that_is_not_a_database_is_refused_with_its_name()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(DataFile)!);
        File.WriteAllText(DataFile, "this is not SQLite, and it must survive");

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => StartAsync());

        Assert.Contains(DataFile, error.Message);
        Assert.Equal("this is not SQLite, and it must survive", File.ReadAllText(DataFile));
    }

    private long Rows()
    {
        using var connection = new SqliteConnection($"Data Source={DataFile};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var count = connection.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM log";
        return (long)count.ExecuteScalar()!;
    }
}
