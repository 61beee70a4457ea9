using Lineage.Contracts.Config;
using Lineage.Trainer.Runs;
using Lineage.Trainer.Tasks;

namespace Lineage.Trainer.Tests.Runs;

public sealed class DataLocationTests
{
    [Fact]
    public void A_file_uri_dataset_is_read_from_its_local_file()
    {
        // Local mode's store is file:///…; GRPO, eval and DPO read their datasets through the same edge as distillation.
        using var dir = new TemporaryDirectory();
        File.WriteAllText(dir.File("probs.jsonl"), "{\"prompt\": \"1+2=\", \"answer\": \"3\"}\n{\"prompt\": \"2+2=\", \"answer\": \"4\"}\n");
        var data = DataLocation.Materialize(new DataConfig { Path = new Uri(dir.File("probs.jsonl")).AbsoluteUri, Count = 0 }, "data");

        Assert.Equal(dir.File("probs.jsonl"), data.Path);
        Assert.Equal(["3", "4"], ProblemSet.Load(data).Select(p => p.Answer));
    }

    [Fact]
    public void Plain_paths_and_built_in_tasks_are_left_as_they_are()
    {
        var relative = new DataConfig { Path = "data/probs.jsonl" };
        var task = new DataConfig { Task = "addition" };
        Assert.Same(relative, DataLocation.Materialize(relative, "data"));
        Assert.Same(task, DataLocation.Materialize(task, "data"));
    }

    [Fact]
    public void A_file_uri_eval_dataset_reaches_the_evaluator()
    {
        using var dir = new TemporaryDirectory();
        File.WriteAllText(dir.File("held.jsonl"), "{\"prompt\": \"1+2=\", \"answer\": \"3\"}\n");
        var config = new EvalConfig { Model = "unused", Data = new DataConfig { Path = new Uri(dir.File("held.jsonl")).AbsoluteUri, Count = 0 } };
        using var model = Lineage.Trainer.Model.PretrainedModel.Create(Grpo.TinyGrpo.Shape, Lineage.Trainer.Tokenization.BuiltInTokenizer.Create(), seed: 1);
        var (result, _) = EvalRunner.Evaluate(config with { Sampling = config.Sampling with { MaxNewTokens = 4 } }, model);
        Assert.Equal(1, result.Problems);
    }
}
