using System.Text.Json.Nodes;
using Lineage.EmbeddedApiServer.Patching;

namespace Lineage.EmbeddedApiServer.Tests;

/// <summary>Strategic merge patch on the shapes of built-in kinds (as kubectl's client-side apply sends it).</summary>
public sealed class StrategicMergePatchTests
{
    private static string Apply(string target, string patch) => StrategicMergePatch.Apply(JsonNode.Parse(target), JsonNode.Parse(patch))!.ToJsonString();

    [Fact]
    public void Lists_with_a_merge_key_merge_item_by_item()
    {
        Assert.Equal("""{"containers":[{"name":"a","image":"a:2"},{"name":"b","image":"b"},{"name":"c","image":"c"}]}""",
            Apply("""{"containers":[{"name":"a","image":"a:1"},{"name":"b","image":"b"}]}""", """{"containers":[{"name":"a","image":"a:2"},{"name":"c","image":"c"}]}"""));
    }

    [Fact]
    public void An_item_marked_delete_is_removed()
    {
        Assert.Equal("""{"env":[{"name":"B","value":"2"}]}""",
            Apply("""{"env":[{"name":"A","value":"1"},{"name":"B","value":"2"}]}""", """{"env":[{"name":"A","$patch":"delete"}]}"""));
    }

    [Fact]
    public void Finalizers_merge_as_a_set_and_can_be_deleted_from()
    {
        Assert.Equal("""{"metadata":{"finalizers":["b","c"]}}""",
            Apply("""{"metadata":{"finalizers":["a","b"]}}""", """{"metadata":{"$deleteFromPrimitiveList/finalizers":["a"],"finalizers":["c"],"$setElementOrder/finalizers":["b","c"]}}"""));
    }

    [Fact]
    public void Lists_without_a_merge_key_are_replaced_and_null_deletes_a_key()
    {
        Assert.Equal("""{"args":["new"],"data":{"b":"2"}}""",
            Apply("""{"args":["old","more"],"data":{"a":"1","b":"2"}}""", """{"args":["new"],"data":{"a":null}}"""));
    }

    [Fact]
    public void Replace_and_retain_keys_directives_are_honoured()
    {
        Assert.Equal("""{"strategy":{"type":"Recreate"},"spec":{"x":1}}""",
            Apply("""{"strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":1}},"spec":{"x":1,"y":2}}""",
                """{"strategy":{"$retainKeys":["type"],"type":"Recreate"},"spec":{"$patch":"replace","x":1}}"""));
    }
}
