using System.Diagnostics;
using Lineage.Operator.Api.V1Alpha1;
using Lineage.Operator.Observability;
using Lineage.Operator.Runtime;
using Prometheus;

namespace Lineage.Operator.Tests.Observability;

public sealed class DomainMetricsTests
{
    static string Export(CollectorRegistry registry)
    {
        using var stream = new MemoryStream();
        registry.CollectAndExportAsTextAsync(stream).GetAwaiter().GetResult();
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    static Generation Gen(string name, string phase, int number, double? score) =>
        new() { Metadata = new() { Name = name }, Spec = new() { Lineage = "math" }, Status = new() { Phase = phase, GenerationNumber = number, Score = score } };

    [Fact]
    public void Phases_are_counted_once_per_generation_and_follow_its_moves()
    {
        var registry = Metrics.NewCustomRegistry();
        var metrics = new DomainMetrics(registry);
        metrics.ObserveGeneration(new("ml", "a"), Gen("a", GenerationPhases.Training, 1, null));
        metrics.ObserveGeneration(new("ml", "a"), Gen("a", GenerationPhases.Training, 1, null));
        metrics.ObserveGeneration(new("ml", "b"), Gen("b", GenerationPhases.Training, 1, null));
        metrics.ObserveGeneration(new("ml", "a"), Gen("a", GenerationPhases.Evaluating, 1, null));
        metrics.ForgetGeneration(new("ml", "b"));
        var text = Export(registry);
        Assert.Contains("lineage_generations{namespace=\"ml\",phase=\"Training\"} 0", text);
        Assert.Contains("lineage_generations{namespace=\"ml\",phase=\"Evaluating\"} 1", text);
    }

    [Fact]
    public void The_champion_is_the_newest_promoted_generation()
    {
        var registry = Metrics.NewCustomRegistry();
        var metrics = new DomainMetrics(registry);
        metrics.ObserveGeneration(new("ml", "g2"), Gen("g2", GenerationPhases.Promoted, 2, 0.61));
        metrics.ObserveGeneration(new("ml", "g1"), Gen("g1", GenerationPhases.Promoted, 1, 0.55));
        metrics.ObserveGeneration(new("ml", "g3"), Gen("g3", GenerationPhases.Rejected, 3, 0.58));
        var text = Export(registry);
        Assert.Contains("lineage_champion_score{namespace=\"ml\",lineage=\"math\"} 0.61", text);
        Assert.Contains("lineage_champion_generation{namespace=\"ml\",lineage=\"math\"} 2", text);
    }

    [Fact]
    public void A_deleted_run_leaves_no_series()
    {
        var registry = Metrics.NewCustomRegistry();
        var metrics = new DomainMetrics(registry);
        metrics.ObserveRun("grpo", new("ml", "r"), new() { Step = 4, TotalSteps = 8, Metrics = new() { RewardMean = 0.3, Kl = 0.02 } });
        Assert.Contains("lineage_run_step{namespace=\"ml\",kind=\"grpo\",name=\"r\"} 4", Export(registry));
        metrics.ForgetRun("grpo", new("ml", "r"));
        Assert.DoesNotContain("name=\"r\"", Export(registry));
    }

    [Fact]
    public void A_distillation_exports_its_internalisation_and_a_grpo_run_none()
    {
        var registry = Metrics.NewCustomRegistry();
        var metrics = new DomainMetrics(registry);
        metrics.ObserveRun("distill", new("ml", "d"), new Distillation.DistillationStatus { Step = 20, Internalisation = 0.75 });
        metrics.ObserveRun("grpo", new("ml", "g"), new RunStatus { Step = 3 });
        var text = Export(registry);
        Assert.Contains("lineage_run_internalisation{namespace=\"ml\",kind=\"distill\",name=\"d\"} 0.75", text);
        Assert.DoesNotContain("lineage_run_internalisation{namespace=\"ml\",kind=\"grpo\"", text);
        metrics.ForgetRun("distill", new("ml", "d"));
        Assert.DoesNotContain("name=\"d\"", Export(registry));
    }

    [Fact]
    public void Judge_pick_accuracy_is_exported_per_judged_generation_for_the_newest_ones_and_removed_with_its_lineage()
    {
        var registry = Metrics.NewCustomRegistry();
        var metrics = new DomainMetrics(registry);
        var key = new ObjectKey("ml", "math");
        LineageHistoryEntry Judged(int birth, double judge, double random, bool used, double? before = null) => new()
        {
            Name = $"math-{birth}", Step = "grpo", Score = 0.5, Result = GenerationPhases.Promoted,
            JudgePickAccuracy = judge, RandomPickAccuracy = random, JudgeUsed = used, JudgePickAccuracyBeforeTraining = before,
        };
        var history = new List<LineageHistoryEntry> { new() { Name = "math-0", Step = "base", Score = 0.4, Result = GenerationPhases.Promoted } };
        history.Add(Judged(1, 0.64, 0.64, used: false));
        history.Add(Judged(2, 0.70, 0.62, used: true, before: 0.60));
        metrics.ObserveLineage(key, new LineageResource { Status = new() { History = history } });
        var text = Export(registry);

        Assert.Contains("lineage_lineage_judge_pick_accuracy{namespace=\"ml\",lineage=\"math\",birth=\"1\",generation=\"math-1\",picker=\"judge\",used=\"0\"} 0.64", text);
        Assert.Contains("lineage_lineage_judge_pick_accuracy{namespace=\"ml\",lineage=\"math\",birth=\"2\",generation=\"math-2\",picker=\"random\",used=\"1\"} 0.62", text);
        Assert.Contains("lineage_lineage_judge_pick_accuracy{namespace=\"ml\",lineage=\"math\",birth=\"2\",generation=\"math-2\",picker=\"judge_before_training\",used=\"1\"} 0.6", text);
        Assert.DoesNotContain("generation=\"math-0\",picker", text); // the base had no judge
        Assert.DoesNotContain("birth=\"1\",generation=\"math-1\",picker=\"judge_before_training\"", text); // not fine-tuned: no series

        // Bounded: only the newest judged generations keep series; older ones are removed.
        for (var birth = 3; birth < 3 + DomainMetrics.ScoredGenerationsPerLineage; birth++) history.Add(Judged(birth, 0.7, 0.6, used: true));
        metrics.ObserveLineage(key, new LineageResource { Status = new() { History = history } });
        text = Export(registry);
        Assert.DoesNotContain("generation=\"math-1\",picker", text);
        Assert.DoesNotContain("generation=\"math-2\",picker", text);
        var judgeSeries = text.Split('\n').Count(l => l.StartsWith("lineage_lineage_judge_pick_accuracy{", StringComparison.Ordinal) && l.Contains("picker=\"judge\"", StringComparison.Ordinal));
        Assert.Equal(DomainMetrics.ScoredGenerationsPerLineage, judgeSeries);

        metrics.ForgetLineage(key);
        Assert.DoesNotContain("lineage_lineage_judge_pick_accuracy{", Export(registry));
    }

    [NeedsPromtoolFact]
    public async Task The_exposition_passes_promtool()
    {
        var registry = Metrics.NewCustomRegistry();
        var metrics = new DomainMetrics(registry);
        metrics.ObserveGeneration(new("ml", "g1"), Gen("g1", GenerationPhases.Promoted, 1, 0.55));
        metrics.ObserveRun("distill", new("ml", "d"), new() { Step = 1, TotalSteps = 2, Metrics = new() { RewardMean = 0.1, Kl = 0 } });
        metrics.ObserveLineage(new("ml", "math"), new LineageResource { Status = new() { History =
            [new() { Name = "math-1", Step = "grpo", Score = 0.5, Result = GenerationPhases.Promoted, JudgePickAccuracy = 0.7, RandomPickAccuracy = 0.6, JudgeUsed = true }] } });
        var exposition = Export(registry);

        using var promtool = Process.Start(new ProcessStartInfo(NeedsPromtoolFactAttribute.Path!, "check metrics")
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true,
        })!;
        await promtool.StandardInput.WriteAsync(exposition);
        promtool.StandardInput.Close();
        var output = await promtool.StandardOutput.ReadToEndAsync() + await promtool.StandardError.ReadToEndAsync();
        await promtool.WaitForExitAsync();
        Assert.True(promtool.ExitCode == 0, $"promtool check metrics:\n{output}\n{exposition}");
    }
}
