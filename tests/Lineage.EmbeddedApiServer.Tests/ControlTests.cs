using k8s;
using k8s.Models;

namespace Lineage.EmbeddedApiServer.Tests;

public sealed class ControlTests : ServerTest
{
    private static V1ConfigMap Map(string name) => new() { Metadata = new() { Name = name } };

    [Fact]
    public async Task FailNext_fails_matching_requests_with_a_Status_then_stops()
    {
        Server.FailNext(2, 503, pathContains: "/configmaps", method: "POST");

        var error = await Assert.ThrowsAsync<k8s.Autorest.HttpOperationException>(() => Client.CoreV1.CreateNamespacedConfigMapAsync(Map("a"), "default"));
        Assert.Equal("ServiceUnavailable", KubernetesJson.Deserialize<V1Status>(error.Response.Content).Reason);
        Assert.Empty((await Client.CoreV1.ListNamespacedConfigMapAsync("default")).Items);
        Assert.Equal(503, await StatusCodeOf(() => Client.CoreV1.CreateNamespacedConfigMapAsync(Map("a"), "default")));

        Assert.NotNull(await Client.CoreV1.CreateNamespacedConfigMapAsync(Map("a"), "default"));
    }

    [Fact]
    public async Task FailNext_can_fake_a_conflict_on_status_writes_only()
    {
        await Widgets.Create(Widget.Named("w"));
        Server.FailNext(1, 409, pathContains: "/widgets/w/status");

        await Widgets.Patch("w", new { spec = new { size = 2 } });
        Assert.Equal(409, await StatusCodeOf(() => Widgets.PatchStatus("w", new { status = new { phase = "A" } })));
        Assert.Equal("A", (await Widgets.PatchStatus("w", new { status = new { phase = "A" } })).Status!.Phase);
    }

    [Fact]
    public async Task FailNext_can_answer_a_create_AlreadyExists_without_storing_it()
    {
        Server.FailNext(1, 409, pathContains: "/configmaps", method: "POST", reason: "AlreadyExists");

        var error = await Assert.ThrowsAsync<k8s.Autorest.HttpOperationException>(() => Client.CoreV1.CreateNamespacedConfigMapAsync(Map("a"), "default"));
        var status = KubernetesJson.Deserialize<V1Status>(error.Response.Content);
        Assert.Equal((409, "AlreadyExists"), (status.Code, status.Reason));
        Assert.Empty((await Client.CoreV1.ListNamespacedConfigMapAsync("default")).Items);
        Assert.NotNull(await Client.CoreV1.CreateNamespacedConfigMapAsync(Map("a"), "default"));
    }

    [Fact]
    public async Task FailNext_can_send_Retry_After_and_single_out_one_client_by_its_User_Agent()
    {
        Server.FailNext(1, 429, pathContains: "/configmaps", retryAfterSeconds: 3, userAgentContains: "(replica-b)");
        using var a = new HttpClient { BaseAddress = Server.Url };
        a.DefaultRequestHeaders.UserAgent.ParseAdd("lineage-operator/1.0 (replica-a)");
        using var b = new HttpClient { BaseAddress = Server.Url };
        b.DefaultRequestHeaders.UserAgent.ParseAdd("lineage-operator/1.0 (replica-b)");

        Assert.Equal(System.Net.HttpStatusCode.OK, (await a.GetAsync("api/v1/namespaces/default/configmaps")).StatusCode);
        var throttled = await b.GetAsync("api/v1/namespaces/default/configmaps");
        Assert.Equal(System.Net.HttpStatusCode.TooManyRequests, throttled.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(3), throttled.Headers.RetryAfter?.Delta);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await b.GetAsync("api/v1/namespaces/default/configmaps")).StatusCode);

        var records = Server.Requests.All.Where(r => r.Resource == "configmaps").ToList();
        Assert.Equal(["lineage-operator/1.0 (replica-a)", "lineage-operator/1.0 (replica-b)", "lineage-operator/1.0 (replica-b)"], records.Select(r => r.UserAgent));
        Assert.Equal([null, "429", null], records.Select(r => r.Fault));
        Assert.Equal(1, Server.InjectedFaults["429"]);
    }

    [Fact]
    public async Task DelayNext_answers_late_and_still_stores_a_write_whose_client_gave_up()
    {
        Server.DelayNext(1, TimeSpan.FromMilliseconds(1500), pathContains: "/configmaps", method: "POST");
        var watch = System.Diagnostics.Stopwatch.StartNew();
        using (var impatient = new CancellationTokenSource(TimeSpan.FromMilliseconds(200)))
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Client.CoreV1.CreateNamespacedConfigMapAsync(Map("late"), "default", cancellationToken: impatient.Token));

        var stored = await WaitFor(async () => (await Client.CoreV1.ListNamespacedConfigMapAsync("default")).Items.SingleOrDefault(m => m.Metadata.Name == "late"));
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(1400), $"stored after {watch.Elapsed}");
        var record = Assert.Single(Server.Requests.All, r => r.Verb == "create" && r.Resource == "configmaps");
        Assert.Equal(("delay", "late", 201), (record.Fault, record.Name, record.StatusCode));
        Assert.True(record.Finished - record.Started >= TimeSpan.FromMilliseconds(1400));
        Assert.NotNull(stored);
    }

    private static async Task<T?> WaitFor<T>(Func<Task<T?>> read) where T : class
    {
        for (var deadline = DateTime.UtcNow.AddSeconds(10); DateTime.UtcNow < deadline; await Task.Delay(50))
            if (await read() is { } found) return found;
        return null;
    }

    [Fact]
    public async Task The_request_log_counts_by_verb_resource_and_subresource()
    {
        Server.Requests.Clear();
        await Widgets.Create(Widget.Named("w"));
        await Widgets.Get("w");
        await Widgets.List();
        await Widgets.PatchStatus("w", new { status = new { phase = "A" } });
        await StatusCodeOf(() => Widgets.Create(Widget.Named("w")));

        Assert.Equal(2, Server.Requests.Count("create", "widgets"));
        Assert.Equal(1, Server.Requests.Count(r => r.Verb == "create" && r.Succeeded));
        Assert.Equal(1, Server.Requests.Count("get", "widgets"));
        Assert.Equal(1, Server.Requests.Count("list", "widgets"));
        Assert.Equal(1, Server.Requests.Count("patch", "widgets", "status"));
        Assert.Equal(0, Server.Requests.Count("patch", "widgets", ""));
        Assert.Equal(3, Server.Requests.Writes("widgets"));
        Assert.Equal(0, Server.Requests.Writes("jobs"));
    }

    [Fact]
    public async Task The_request_log_names_each_client_by_its_User_Agent_and_counts_its_body_bytes_by_request()
    {
        Server.Requests.Clear();
        using var http = new HttpClient { BaseAddress = Server.Url };
        http.DefaultRequestHeaders.UserAgent.ParseAdd("traffic-test/1.0");
        const string body = """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"counted"},"data":{"k":"v"}}""";
        using var created = await http.PostAsync("/api/v1/namespaces/default/configmaps",
            new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        var answer = await created.Content.ReadAsByteArrayAsync();

        Assert.Equal(System.Net.HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("traffic-test", Assert.Single(Server.Requests.All).Client);
        var traffic = Server.Requests.Traffic("traffic-test");
        Assert.Equal(System.Text.Encoding.UTF8.GetByteCount(body), traffic.BytesSent);
        Assert.Equal(answer.Length, traffic.BytesReceived);
        Assert.Equal((traffic.BytesSent, traffic.BytesReceived), traffic.ByRequest["create configmaps"]);
        Assert.Equal(0, Server.Requests.Traffic("someone-else").BytesSent);
    }

    [Fact]
    public async Task A_refused_watch_is_logged_once_with_its_status()
    {
        Server.Requests.Clear();
        await StatusCodeOf(() => Client.CustomObjects.ListNamespacedCustomObjectWithHttpMessagesAsync(
            Widget.Group, Widget.Version, "default", Widget.Plural, resourceVersion: "not-a-number", watch: true));

        var record = Assert.Single(Server.Requests.All);
        Assert.Equal(("watch", 400), (record.Verb, record.StatusCode));
    }

    [Fact]
    public async Task Reads_are_not_writes()
    {
        await Widgets.Create(Widget.Named("w"));
        Server.Requests.Clear();

        await Widgets.Get("w");
        await Widgets.List();

        Assert.Equal(0, Server.Requests.Writes());
        Assert.Equal(2, Server.Requests.All.Count);
    }

    [Fact]
    public async Task The_request_log_keeps_few_records_but_exact_counts()
    {
        await using var server = await EmbeddedApiServer.StartAsync(new EmbeddedApiServerOptions { RequestLogCapacity = 3 });
        using var client = new Kubernetes(server.ClientConfiguration());
        for (var i = 0; i < 5; i++) await client.CoreV1.CreateNamespacedConfigMapAsync(Map($"m{i}"), "default");

        Assert.Equal(3, server.Requests.All.Count);
        Assert.Equal(5, server.Requests.Count("create", "configmaps"));
        Assert.Equal("/api/v1/namespaces/default/configmaps", server.Requests.All[^1].Path);
    }

    [Fact]
    public async Task A_written_kubeconfig_gives_a_working_client()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory().FullName, "kubeconfig");
        Server.WriteKubeconfig(path);

        using var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(path));
        await client.CoreV1.CreateNamespacedConfigMapAsync(Map("via-kubeconfig"), "default");

        Assert.NotNull(await Client.CoreV1.ReadNamespacedConfigMapAsync("via-kubeconfig", "default"));
    }

    [Fact]
    public async Task A_kubeconfig_rewritten_in_place_is_never_read_half_written()
    {
        // A restarted local run writes its kubeconfig over the last run's while kubectl or a test may be reading it.
        var path = Path.Combine(Directory.CreateTempSubdirectory().FullName, "kubeconfig");
        Server.WriteKubeconfig(path);
        var whole = await File.ReadAllTextAsync(path);
        // Writer and reader both run until each has done enough, whatever the scheduler gives either (a loaded machine
        // once let 400 writes finish before the first read).
        var done = false;
        var writes = 0;
        var writer = Task.Run(() =>
        {
            while (!Volatile.Read(ref done))
            {
                Server.WriteKubeconfig(path);
                Interlocked.Increment(ref writes);
            }
        });

        var reads = 0;
        var torn = new List<int>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while ((reads < 300 || Volatile.Read(ref writes) < 300) && DateTime.UtcNow < deadline)
        {
            var text = await File.ReadAllTextAsync(path);
            reads++;
            if (text != whole) torn.Add(text.Length);
        }
        Volatile.Write(ref done, true);
        await writer;

        Assert.True(reads >= 300 && writes >= 300, $"{reads} reads and {writes} writes in 60 s");
        Assert.Empty(torn);
        Assert.Equal([path], Directory.GetFiles(Path.GetDirectoryName(path)!));
    }

    [Fact]
    public async Task The_server_answers_version_and_discovery()
    {
        var version = await Client.Version.GetCodeAsync();
        var namespaces = await Client.CoreV1.ListNamespaceAsync();
        var resources = await Client.CoreV1.GetAPIResourcesAsync();

        Assert.Equal("1", version.Major);
        Assert.Equal(["default", "kube-system"], namespaces.Items.Select(n => n.Metadata.Name));
        Assert.Contains(resources.Resources, r => r.Name == "configmaps" && r.Namespaced);
    }

    [Fact]
    public async Task Many_clients_writing_at_once_get_every_object_and_every_watcher_sees_all()
    {
        const int count = 1000;
        var from = Server.ResourceVersion.ToString();
        var watchers = Enumerable.Range(0, 8).Select(_ => CountAdded(from, count)).ToList();

        var started = DateTime.UtcNow;
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 32 },
            async (i, _) => await Widgets.Create(Widget.Named($"w-{i:D4}")));
        var created = DateTime.UtcNow - started;

        Assert.Equal(count, (await Widgets.List()).Items.Count);
        foreach (var watcher in watchers) Assert.Equal(count, await watcher.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.True(created < TimeSpan.FromSeconds(20), $"1,000 creates took {created}");
    }

    [Fact]
    public async Task Kubectl_gets_a_table_with_the_CRDs_printer_columns_and_finds_short_names()
    {
        await Widgets.Create(Widget.Named("w", size: 4));
        await Widgets.PatchStatus("w", new { status = new { phase = "Ready" } });
        using var http = new HttpClient { BaseAddress = Server.Url };
        http.DefaultRequestHeaders.Add("Accept", "application/json;as=Table;v=v1;g=meta.k8s.io,application/json");

        var table = System.Text.Json.Nodes.JsonNode.Parse(await http.GetStringAsync("apis/test.lineage.dev/v1/namespaces/default/widgets"))!;
        var discovery = System.Text.Json.Nodes.JsonNode.Parse(await http.GetStringAsync("apis/test.lineage.dev/v1"))!;

        Assert.Equal("Table", table["kind"]!.GetValue<string>());
        Assert.Equal(["Name", "Size", "Phase", "Age"], table["columnDefinitions"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()));
        var cells = table["rows"]![0]!["cells"]!.AsArray();
        Assert.Equal(("w", 4, "Ready"), (cells[0]!.GetValue<string>(), cells[1]!.GetValue<int>(), cells[2]!.GetValue<string>()));
        Assert.EndsWith("s", cells[3]!.GetValue<string>());
        var widgets = discovery["resources"]!.AsArray().Single(r => r!["name"]!.GetValue<string>() == "widgets")!;
        Assert.Equal(["wd"], widgets["shortNames"]!.AsArray().Select(n => n!.GetValue<string>()));
    }

    private Task<int> CountAdded(string from, int expected) => Task.Run(async () =>
    {
        var seen = 0;
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(40));
        await foreach (var (type, _) in Client.CustomObjects.WatchListNamespacedCustomObjectAsync(Widget.Group, Widget.Version, "default", Widget.Plural,
                           resourceVersion: from, cancellationToken: stop.Token))
        {
            if (type == WatchEventType.Added && ++seen == expected) break;
        }
        return seen;
    });
}
