using k8s;
namespace Lineage.EmbeddedApiServer.Tests;

public sealed class SelectorTests : ServerTest
{
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await Widgets.Create(Widget.Named("a", labels: new Dictionary<string, string> { ["tier"] = "web", ["env"] = "prod" }));
        await Widgets.Create(Widget.Named("b", labels: new Dictionary<string, string> { ["tier"] = "db", ["env"] = "prod" }));
        await Widgets.Create(Widget.Named("c", labels: new Dictionary<string, string> { ["tier"] = "web" }));
        await Widgets.Create(Widget.Named("d"));
    }

    [Theory]
    [InlineData("tier=web", "a,c")]
    [InlineData("tier==web", "a,c")]
    [InlineData("tier!=web", "b,d")]
    [InlineData("tier in (web,db)", "a,b,c")]
    [InlineData("tier notin (web)", "b,d")]
    [InlineData("env", "a,b")]
    [InlineData("!env", "c,d")]
    [InlineData("tier=web,env=prod", "a")]
    [InlineData("tier in (db),!env", "")]
    [InlineData("", "a,b,c,d")]
    public async Task Label_selectors_select_as_kube_apiserver_does(string selector, string expected)
    {
        var list = await Widgets.List(labelSelector: selector);

        Assert.Equal(expected, string.Join(",", list.Items.Select(w => w.Metadata.Name)));
    }

    [Fact]
    public async Task A_malformed_label_selector_is_400()
    {
        Assert.Equal(400, await StatusCodeOf(() => Widgets.List(labelSelector: "tier in web")));
    }

    [Theory]
    [InlineData("metadata.name=b", "b")]
    [InlineData("metadata.name!=b", "a,c,d")]
    [InlineData("metadata.namespace=default", "a,b,c,d")]
    [InlineData("metadata.namespace=other", "")]
    public async Task Field_selectors_select_on_name_and_namespace(string selector, string expected)
    {
        var list = await Widgets.List(fieldSelector: selector);

        Assert.Equal(expected, string.Join(",", list.Items.Select(w => w.Metadata.Name)));
    }

    [Fact]
    public async Task A_list_carries_the_current_resource_version()
    {
        var list = await Widgets.List();

        Assert.Equal(Server.ResourceVersion.ToString(), list.Metadata.ResourceVersion);
        Assert.Equal("WidgetList", list.Kind);
    }

    [Fact]
    public async Task Limit_and_continue_page_through_a_list()
    {
        var names = new List<string>();
        string? token = null;
        do
        {
            var page = Widgets.As<WidgetList>(await Client.CustomObjects.ListNamespacedCustomObjectAsync(
                Widget.Group, Widget.Version, "default", Widget.Plural, limit: 3, continueParameter: token));
            names.AddRange(page.Items.Select(w => w.Metadata.Name));
            token = page.Metadata.ContinueProperty;
        } while (token is not null);

        Assert.Equal(["a", "b", "c", "d"], names);
    }

    [Fact]
    public async Task Every_page_reports_the_first_pages_resource_version_so_a_following_watch_misses_nothing()
    {
        var first = Widgets.As<WidgetList>(await Client.CustomObjects.ListNamespacedCustomObjectAsync(
            Widget.Group, Widget.Version, "default", Widget.Plural, limit: 2));
        await Widgets.Patch("a", new { spec = new { size = 42 } });
        var second = Widgets.As<WidgetList>(await Client.CustomObjects.ListNamespacedCustomObjectAsync(
            Widget.Group, Widget.Version, "default", Widget.Plural, limit: 2, continueParameter: first.Metadata.ContinueProperty));

        Assert.Equal(first.Metadata.ResourceVersion, second.Metadata.ResourceVersion);
        await foreach (var (type, item) in Client.CustomObjects.WatchListNamespacedCustomObjectAsync(
                           Widget.Group, Widget.Version, "default", Widget.Plural, resourceVersion: second.Metadata.ResourceVersion))
        {
            Assert.Equal(k8s.WatchEventType.Modified, type);
            Assert.Equal(42, Widgets.As<Widget>(item).Spec!.Size);
            break;
        }
    }

    [Fact]
    public async Task A_continue_token_from_before_compaction_is_410()
    {
        var first = Widgets.As<WidgetList>(await Client.CustomObjects.ListNamespacedCustomObjectAsync(
            Widget.Group, Widget.Version, "default", Widget.Plural, limit: 2));
        await Widgets.Patch("a", new { spec = new { size = 42 } });
        Server.CompactHistory();

        Assert.Equal(410, await StatusCodeOf(() => Client.CustomObjects.ListNamespacedCustomObjectAsync(
            Widget.Group, Widget.Version, "default", Widget.Plural, limit: 2, continueParameter: first.Metadata.ContinueProperty)));
    }
}
