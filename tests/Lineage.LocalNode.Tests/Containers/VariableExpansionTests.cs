using Lineage.LocalNode.Containers;

namespace Lineage.LocalNode.Tests.Containers;

public sealed class VariableExpansionTests
{
    static string? Lookup(string name) => name switch { "A" => "alpha", "B" => "", _ => null };

    [Theory]
    [InlineData("$(A)", "alpha")]
    [InlineData("x-$(A)-y", "x-alpha-y")]
    [InlineData("$(B)end", "end")]
    [InlineData("$(UNDEFINED)", "$(UNDEFINED)")]
    [InlineData("$$(A)", "$(A)")]
    [InlineData("echo $$", "echo $")]
    [InlineData("echo $$$$", "echo $$")]
    [InlineData("$HOME and $1", "$HOME and $1")]
    [InlineData("$(A", "$(A")]
    [InlineData("trailing $", "trailing $")]
    public void References_expand_like_the_kubelets(string input, string expected) => Assert.Equal(expected, VariableExpansion.Expand(input, Lookup));
}
