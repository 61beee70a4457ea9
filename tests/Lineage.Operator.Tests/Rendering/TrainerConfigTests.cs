using k8s.Models;
using Lineage.Contracts.Config;
using Lineage.Operator.Api.V1Alpha1;
using Lineage.Operator.Rendering;

namespace Lineage.Operator.Tests.Rendering;

public sealed class TrainerConfigTests
{
    static readonly GrpoRun.GrpoRunSpec Spec = new(new GrpoTemplate
    {
        Steps = 300, CheckpointEvery = 25, Beta = 0.04, LossType = "dr_grpo",
        Rewards = [new RewardSpec { Name = "accuracy" }, new RewardSpec { Name = "regex", Pattern = "<answer>", Weight = 0.1 }],
    })
    {
        Policy = new ModelRef { Uri = "s3://m/math/gen-1/model" },
        Output = "s3://m/math/gen-2/model",
        Storage = new StorageSpec { Uri = "s3://m", SecretName = "s" },
    };

    [Fact]
    public void The_job_carries_a_grpo_config_the_trainer_loads_back()
    {
        var config = TrainerConfigFile.Yaml(TrainerConfigs.Grpo(Spec, "s3://m/math/gen-1/model"), "spec");
        var job = JobRenderer.Render(new TrainerJob("gen-2-train", "ml", new V1OwnerReference { Name = "gen-2" }, new Dictionary<string, string>(), "grpo",
            config, new Resources(), Spec.Storage));

        var loaded = ConfigLoader.Parse<GrpoConfig>(job.Spec.Template.Metadata.Annotations[TrainerConfigFile.Annotation], "config.yaml");
        Assert.Equal("s3://m/math/gen-1/model", loaded.Policy);
        Assert.Equal("s3://m/math/gen-2/model", loaded.Output);
        Assert.Equal((300, 25, 0.04, "dr_grpo"), (loaded.Steps, loaded.CheckpointEvery, loaded.Beta, loaded.LossType));
        Assert.Equal(["accuracy", "regex"], loaded.Rewards.Select(r => r.Name));
        Assert.Equal("<answer>", loaded.Rewards[1].Pattern);
        Assert.True(loaded.Resume);
        Assert.Equal(TrainerConfigFile.Hash(config), job.Metadata.Annotations[TrainerConfigFile.HashAnnotation]);
    }

    [Fact]
    public void A_config_too_large_for_a_pod_annotation_is_refused_naming_the_field()
    {
        var prompt = new string('x', TrainerConfigFile.MaxBytes);
        var huge = Spec with { Rewards = [new RewardSpec { Name = "regex", Pattern = prompt }] };
        var config = TrainerConfigs.Grpo(huge, "s3://m/p", "spec.training.grpo");
        var error = Assert.Throws<ConfigError>(() => TrainerConfigFile.Yaml(config, "spec.training.grpo"));
        Assert.StartsWith("spec.training.grpo: the rendered trainer config is ", error.Message);
        Assert.Contains("256 KiB", error.Message);
        // Just under the limit is carried.
        var fits = Spec with { Rewards = [new RewardSpec { Name = "regex", Pattern = new string('x', TrainerConfigFile.MaxBytes - 4096) }] };
        Assert.True(TrainerConfigFile.Yaml(TrainerConfigs.Grpo(fits, "s3://m/p"), "spec").Length <= TrainerConfigFile.MaxBytes);
    }

    [Fact]
    public void A_spec_the_trainer_would_refuse_names_the_field()
    {
        var bad = Spec with { Rewards = [new RewardSpec { Name = "regex" }] };
        var error = Assert.Throws<ConfigError>(() => TrainerConfigs.Grpo(bad, "s3://m/p"));
        Assert.Contains("rewards[0].pattern", error.Message);
        Assert.StartsWith("spec: invalid config", error.Message);
    }

    [Fact]
    public void Evaluation_scores_the_test_split_with_the_configured_problem_count()
    {
        var spec = new EvaluationSpec { Dataset = new DataConfig { Task = "addition", Digits = 4 }, Problems = 300, Metric = "majority", K = 4 };
        var config = TrainerConfigs.Eval(spec, "s3://m/math/gen-2/model", "s3://m/math/gen-2/eval/result.json");
        var loaded = ConfigLoader.Parse<EvalConfig>(ConfigLoader.ToYaml(config), "eval.yaml");
        Assert.Equal(("test", 300, 4), (loaded.Data.Split, loaded.Data.Count, loaded.Data.Digits));
        Assert.Equal(("majority", 4), (loaded.Metric, loaded.K));
        Assert.Equal("s3://m/math/gen-2/eval/result.json", loaded.Output);
    }

    [Fact]
    public void Distillation_renders_teacher_student_and_filter()
    {
        var spec = new Distillation.DistillationSpec(new DistillationTemplate { Strategy = "bestOfN", Samples = 4, Ranker = new RewardSpec { Name = "accuracy" }, Filter = "consistency", ConsistencyThreshold = 0.75 })
        {
            Teacher = new ModelRef { Uri = "s3://m/t" }, Output = "s3://m/math/gen-3/model", Storage = new StorageSpec { Uri = "s3://m", SecretName = "s" },
        };
        var loaded = ConfigLoader.Parse<DistillConfig>(ConfigLoader.ToYaml(TrainerConfigs.Distill(spec, "s3://m/t")), "distill.yaml");
        Assert.Equal(("s3://m/t", "bestOfN", 4, "consistency", 0.75), (loaded.Teacher, loaded.TestTime.Strategy, loaded.TestTime.Samples, loaded.Filter, loaded.ConsistencyThreshold));
        Assert.Equal("accuracy", loaded.TestTime.Ranker?.Name);
    }
}
