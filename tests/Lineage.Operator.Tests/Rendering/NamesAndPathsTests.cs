using Lineage.Operator.Rendering;

namespace Lineage.Operator.Tests.Rendering;

public sealed class NamesAndPathsTests
{
    [Fact]
    public void Child_names_derive_from_the_owner()
    {
        Assert.Equal("gen-2-train", ChildNames.TrainingJob("gen-2"));
        Assert.Equal("gen-2-eval", ChildNames.EvaluationJob("gen-2"));
    }

    [Fact]
    public void Long_names_fit_a_label_value_and_stay_distinct()
    {
        var a = ChildNames.EvaluationJob(new string('a', 70) + "-one");
        var b = ChildNames.EvaluationJob(new string('a', 70) + "-two");
        Assert.True(a.Length <= 63, a);
        Assert.EndsWith("-eval", a);
        Assert.NotEqual(a, b);
        Assert.Equal(a, ChildNames.EvaluationJob(new string('a', 70) + "-one"));
    }

    [Theory]
    [InlineData("s3://m/lin", "s3://m/lin/math/gen-2/model", "math/gen-2/progress.json")]
    [InlineData("s3://m/lin/", "s3://m/lin/runs/exp1", "runs/exp1.progress.json")]
    [InlineData("s3://m/lin", "s3://other/x/model", null)]
    public void Progress_lives_where_the_trainer_writes_it(string root, string output, string? key)
    {
        Assert.Equal(key, StoreUris.ProgressKey(root, output));
    }
}
