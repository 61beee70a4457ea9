using Lineage.Contracts.Config;

namespace Lineage.Trainer.Tests.Config;

public sealed class ConfigLoaderTests
{
    [Fact]
    public void Yaml_and_json_load_into_the_typed_record_with_defaults_for_the_rest()
    {
        var yaml = ConfigLoader.Parse<SftConfig>("output: out\nsteps: 12\ntrain:\n  task: multiplication\n  digits: 2\n", "a.yaml");
        var json = ConfigLoader.Parse<SftConfig>("{\"output\": \"out\", \"steps\": 12, \"train\": {\"task\": \"multiplication\", \"digits\": 2}}", "a.json");
        foreach (var c in new[] { yaml, json })
        {
            Assert.Equal(12, c.Steps);
            Assert.Equal("multiplication", c.Train.Task);
            Assert.Equal(2, c.Train.Digits);
            Assert.Equal(32, c.BatchSize);
            Assert.Equal(1e-3, c.Optim.LearningRate);
        }
    }

    [Fact]
    public void An_unknown_field_is_an_error_naming_the_file_and_the_field()
    {
        var e = Assert.Throws<ConfigError>(() => ConfigLoader.Parse<SftConfig>("output: out\nstepz: 12\n", "run.yaml"));
        Assert.Contains("run.yaml", e.Message);
        Assert.Contains("stepz", e.Message);
    }

    [Fact]
    public void Bad_values_are_all_reported_with_their_field_paths()
    {
        var e = Assert.Throws<ConfigError>(() => ConfigLoader.Parse<SftConfig>("output: out\nsteps: 0\noptim:\n  learningRate: -1\ntrain:\n  task: division\n", "run.yaml"));
        Assert.Contains("steps: must be > 0", e.Message);
        Assert.Contains("optim.learningRate", e.Message);
        Assert.Contains("train.task: must be one of", e.Message);
    }

    [Fact]
    public void A_value_of_the_wrong_type_names_its_line()
    {
        var e = Assert.Throws<ConfigError>(() => ConfigLoader.Parse<SftConfig>("output: out\nsteps: many\n", "run.yaml"));
        Assert.Contains("run.yaml: line 2", e.Message);
    }

    [Fact]
    public void Command_line_overrides_set_nested_fields_and_are_validated_like_the_file()
    {
        var c = ConfigLoader.Parse<GrpoConfig>("policy: p\noutput: o\n", "g.yaml",
            ["numGenerations=4", "sampling.temperature=0.7", "rewards=[{name: accuracy}, {name: regex, pattern: 'x+'}]"]);
        Assert.Equal(4, c.NumGenerations);
        Assert.Equal(0.7, c.Sampling.Temperature);
        Assert.Equal(["accuracy", "regex"], c.Rewards.Select(r => r.Name));

        var e = Assert.Throws<ConfigError>(() => ConfigLoader.Parse<GrpoConfig>("policy: p\noutput: o\n", "g.yaml", ["rewards=[{name: vibes}]"]));
        Assert.Contains("rewards[0].name: must be one of", e.Message);
    }

    [Fact]
    public void Rendered_yaml_parses_back_to_an_equal_config()
    {
        var original = GrpoConfig.ForSmallModels("s3://b/lin/g0/model", "s3://b/lin/g1/model");
        var again = ConfigLoader.Parse<GrpoConfig>(ConfigLoader.ToYaml(original), "rendered");
        Assert.Equal(ConfigLoader.ToYaml(original), ConfigLoader.ToYaml(again));
        Assert.Equal(original.Optim, again.Optim);
    }

    [Fact]
    public void A_partly_set_nested_record_keeps_the_defaults_its_parent_gave_it()
    {
        var eval = ConfigLoader.Parse<EvalConfig>("", "cli", ["model=m", "data.task=multiplication", "data.digits=2", "sampling.maxNewTokens=64"]);
        Assert.Equal("test", eval.Data.Split);   // EvalConfig's default data is the test split; DataConfig's own is train
        Assert.Equal(0.8, eval.Sampling.Temperature);
        Assert.Equal(64, eval.Sampling.MaxNewTokens);

        var fromFile = ConfigLoader.Parse<EvalConfig>("model: m\ndata:\n  count: 50\n", "e.yaml");
        Assert.Equal(("addition", "test", 50), (fromFile.Data.Task, fromFile.Data.Split, fromFile.Data.Count));
    }

    [Fact]
    public void Setting_a_data_path_replaces_the_default_task()
    {
        var c = ConfigLoader.Parse<SftConfig>("output: o\ntrain:\n  path: pairs.jsonl\n", "s.yaml");
        Assert.Equal(("pairs.jsonl", null), (c.Train.Path, c.Train.Task));
    }
}
