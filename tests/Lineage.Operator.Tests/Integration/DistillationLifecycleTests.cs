using Lineage.Contracts.Config;
using Lineage.Contracts.Store;
using Lineage.Operator.Api.V1Alpha1;
using Lineage.Operator.Rendering;
using Lineage.Store;
using static Lineage.Operator.Tests.Integration.LineageCluster;

namespace Lineage.Operator.Tests.Integration;

public sealed class DistillationLifecycleTests
{
    [Fact]
    public async Task A_distilled_generation_mirrors_traces_teacher_accuracy_and_internalisation_and_is_promoted()
    {
        await using var cluster = await LineageCluster.StartAsync();
        await cluster.CreateAsync("gen-0", cluster.Spec());
        await cluster.EvaluateAsync("gen-0", 0.40);
        var training = new TrainingSpec { Distillation = new DistillationTemplate { Strategy = "selfConsistency", Samples = 16, SftSteps = 20, Filter = "consistency" } };
        await cluster.CreateAsync("gen-1", cluster.Spec(parent: "gen-0", training: training));

        var job = await cluster.JobAsync("gen-1-train");
        var distill = ConfigLoader.Parse<DistillConfig>(job.Spec.Template.Metadata.Annotations[TrainerConfigFile.Annotation], "distill");
        Assert.Equal(("s3://models/base/tiny", 16, $"{cluster.StoreUri}/math/gen-1/model"), (distill.Teacher, distill.TestTime.Samples, distill.Output));
        Assert.Equal("distill", job.Spec.Template.Spec.Containers[0].Args[0]);

        await cluster.Store.WriteJsonAsync(new StoreLayout("math", "gen-1").Progress, new Progress
        {
            Kind = "distill", Step = 8, TotalSteps = 20,
            Metrics = new Dictionary<string, double> { ["tracesGenerated"] = 3200, ["tracesKept"] = 1450, ["teacherAccuracy"] = 0.40, ["teacherAccuracyWithStrategy"] = 0.52 },
        }, default);
        await cluster.StartJobAsync("gen-1-train");
        var run = await EventuallyAsync(() => cluster.Distillations.GetAsync(new(Ns, "gen-1"), default), d => d.Status?.TracesKept == 1450, "traces mirrored");
        Assert.Equal((3200L, 0.40, 0.52, 8L), (run.Status!.TracesGenerated ?? 0, run.Status.TeacherAccuracy ?? 0, run.Status.TeacherAccuracyWithStrategy ?? 0, run.Status.Step ?? 0));

        await cluster.Store.WriteJsonAsync(new StoreLayout("math", "gen-1").Progress, new Progress
        {
            Kind = "distill", Step = 20, TotalSteps = 20, Done = true,
            Metrics = new Dictionary<string, double>
            {
                ["tracesGenerated"] = 3200, ["tracesKept"] = 1450, ["teacherAccuracy"] = 0.40, ["teacherAccuracyWithStrategy"] = 0.52,
                ["studentAccuracy"] = 0.49, ["internalisation"] = 0.75,
            },
        }, default);
        run = await EventuallyAsync(() => cluster.Distillations.GetAsync(new(Ns, "gen-1"), default), d => d.Status?.Internalisation is not null, "internalisation mirrored");
        Assert.Equal((0.49, 0.75), (run.Status!.StudentAccuracy ?? 0, run.Status.Internalisation ?? 0));

        await cluster.WriteModelAsync("gen-1");
        await cluster.CompleteJobAsync("gen-1-train");
        var gen1 = await cluster.EvaluateAsync("gen-1", 0.49);
        Assert.Equal(GenerationPhases.Promoted, gen1.Status!.Phase);
        Assert.Equal(0.75, gen1.Status.Internalisation);
        Assert.Equal(new TrainingRef { Kind = Distillation.KindName, Name = "gen-1" }, gen1.Status.TrainingRef);
    }
}
