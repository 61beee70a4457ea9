using k8s;
using Lineage.Contracts.Config;
using Lineage.Operator.Api.V1Alpha1;
using Lineage.Operator.Controllers;

namespace Lineage.Operator.Tests.Runtime;

public sealed class SharedSpecsTests
{
    static Generation Cached(string name, int problems = 50, string uri = "s3://models/math", long generation = 1) => KubernetesJson.Deserialize<Generation>(KubernetesJson.Serialize(new Generation
    {
        Metadata = new k8s.Models.V1ObjectMeta { Name = name, NamespaceProperty = "team", Uid = $"uid-{name}", Generation = generation },
        Spec = new Generation.GenerationSpec
        {
            Lineage = "math",
            Parent = "math-0",
            Training = new TrainingSpec { Grpo = new GrpoTemplate { Steps = 20, Rewards = [new RewardSpec { Name = "judge", Principles = ["be right"] }] } },
            Evaluation = new EvaluationSpec { Dataset = new DataConfig { Task = "addition" }, Problems = problems },
            Storage = new StorageSpec { Uri = uri },
        },
    })); // as the informer delivers it: a fresh copy of every part

    [Fact]
    public void Generations_with_equal_parts_hold_each_part_once_and_read_the_same()
    {
        var shared = new SharedSpecs();
        var (a, b) = (Cached("math-1"), Cached("math-2"));
        var before = (KubernetesJson.Serialize(a), KubernetesJson.Serialize(b));
        Assert.NotSame(a.Spec.Evaluation, b.Spec.Evaluation);

        shared.Generation(a, null);
        shared.Generation(b, null);

        Assert.Same(a.Spec.Evaluation, b.Spec.Evaluation);
        Assert.Same(a.Spec.Training, b.Spec.Training);
        Assert.Same(a.Spec.Storage, b.Spec.Storage);
        Assert.Same(a.Spec.Resources, b.Spec.Resources);
        Assert.Equal(before, (KubernetesJson.Serialize(a), KubernetesJson.Serialize(b)));
    }

    [Fact]
    public void A_part_that_differs_anywhere_inside_is_not_shared()
    {
        var shared = new SharedSpecs();
        var (a, b) = (Cached("math-1", problems: 50), Cached("math-2", problems: 51));

        shared.Generation(a, null);
        shared.Generation(b, null);

        Assert.NotSame(a.Spec.Evaluation, b.Spec.Evaluation);
        Assert.Equal(51, b.Spec.Evaluation.Problems);
        Assert.Same(a.Spec.Storage, b.Spec.Storage);
    }

    [Fact]
    public void A_run_shares_the_parts_its_generation_has()
    {
        var shared = new SharedSpecs();
        var generation = Cached("math-1");
        var run = KubernetesJson.Deserialize<GrpoRun>(KubernetesJson.Serialize(new GrpoRun
        {
            Metadata = new k8s.Models.V1ObjectMeta { Name = "math-1", NamespaceProperty = "team" },
            Spec = new GrpoRun.GrpoRunSpec(generation.Spec.Training!.Grpo!) { Output = "s3://models/math/math-1/model", Storage = generation.Spec.Storage },
        }));

        shared.Generation(generation, null);
        shared.GrpoRun(run, null);

        Assert.Same(generation.Spec.Storage, run.Spec.Storage);
        Assert.Same(generation.Spec.Training!.Grpo!.Rewards, run.Spec.Rewards);
        Assert.Equal("s3://models/math/math-1/model", run.Spec.Output);
    }

    [Fact]
    public void A_new_version_with_the_same_metadata_generation_keeps_the_cached_spec_and_an_edit_is_shared_afresh()
    {
        var shared = new SharedSpecs();
        var cached = Cached("math-1");
        shared.Generation(cached, null);

        var statusOnly = Cached("math-1");
        shared.Generation(statusOnly, cached);
        Assert.Same(cached.Spec, statusOnly.Spec);

        var edited = Cached("math-1", problems: 60, generation: 2);
        shared.Generation(edited, statusOnly);
        Assert.NotSame(statusOnly.Spec, edited.Spec);
        Assert.Equal(60, edited.Spec.Evaluation.Problems);
        Assert.Same(cached.Spec.Storage, edited.Spec.Storage);

        var namesake = Cached("math-1"); // deleted and created again: another uid, generation 1 again
        namesake.Metadata.Uid = "uid-other";
        shared.Generation(namesake, edited);
        Assert.Equal(50, namesake.Spec.Evaluation.Problems);
    }

    [Fact]
    public void Past_the_limit_new_parts_are_not_held()
    {
        var shared = new SharedSpecs();
        for (var i = 0; i <= SharedSpecs.MaxParts; i++) shared.Share(new StorageSpec { Uri = $"s3://models/m{i}" });

        Assert.Equal(SharedSpecs.MaxParts, shared.Count);
        var late = new StorageSpec { Uri = "s3://models/late" };
        Assert.Same(late, shared.Share(late));
        Assert.Equal(SharedSpecs.MaxParts, shared.Count);
    }
}
