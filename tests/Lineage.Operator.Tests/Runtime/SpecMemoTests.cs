using Lineage.Operator.Controllers;
using Lineage.Operator.Runtime;

namespace Lineage.Operator.Tests.Runtime;

public class SpecMemoTests
{
    static readonly ObjectKey Key = new("ml", "math-1");

    [Fact]
    public void The_same_spec_renders_once_and_an_edit_or_another_input_renders_again()
    {
        var memo = new SpecMemo<string>();
        var renders = 0;
        string Render() => $"yaml {++renders}";

        Assert.Equal("yaml 1", memo.Get(Key, "uid-a", 1, "s3://m/in", Render));
        Assert.Equal("yaml 1", memo.Get(Key, "uid-a", 1, "s3://m/in", Render));
        Assert.Equal(1, renders);

        Assert.Equal("yaml 2", memo.Get(Key, "uid-a", 2, "s3://m/in", Render));    // spec edited
        Assert.Equal("yaml 3", memo.Get(Key, "uid-a", 2, "s3://m/other", Render)); // another input model
        Assert.Equal("yaml 4", memo.Get(Key, "uid-b", 2, "s3://m/other", Render)); // deleted and made again
        Assert.Equal(4, renders);
    }

    [Fact]
    public void A_forgotten_object_holds_nothing()
    {
        var memo = new SpecMemo<string?>();
        memo.Get(Key, "uid-a", 1, null, () => "problem");
        memo.Get(new ObjectKey("ml", "math-2"), "uid-c", 1, null, () => null);
        memo.Forget(Key);
        Assert.Equal(1, memo.Count);
        Assert.Equal("again", memo.Get(Key, "uid-a", 1, null, () => "again"));
    }
}
