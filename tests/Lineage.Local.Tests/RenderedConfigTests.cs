using System.Diagnostics;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Lineage.Contracts.Store;
using Lineage.Local.Tests.Support;
using Lineage.Operator.Api.V1Alpha1;
using Lineage.Operator.Decisions;
using Lineage.Operator.Local;
using Lineage.Operator.Rendering;

namespace Lineage.Local.Tests;

/// <summary>
/// The seam between the operator's config rendering and the trainer, with both real sides: every config the operator
/// renders for the shipped manifests (the cluster examples and the local lineage) is written as the Job carries it
/// (the pod annotation its downwardAPI volume writes to config.yaml), read by the real <c>lineage-trainer</c> and run on a tiny model. Only the model, the output, the sizes and the
/// training task (1-digit sums, which a model trained for seconds can answer) are overridden on the command line
/// (<c>--set</c>), so every other field is the trainer reading what the operator wrote.
/// </summary>
public sealed class RenderedConfigTests(RenderedConfigTests.TinyTeacher teacher) : IClassFixture<RenderedConfigTests.TinyTeacher>
{
    public static TheoryData<string, string> Cases() => new()
    {
        { "examples/11-gen-1-grpo.yaml", "gen-1" },
        { "examples/12-gen-2-distill.yaml", "gen-2" },
        { "examples/10-gen-0-base.yaml", "gen-0" },
        { "examples/local/lineage.yaml", "math-0" },
        { "examples/local/lineage.yaml", "math-1" },
        { "examples/local/lineage.yaml", "math-2" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_trainer_runs_the_configs_the_operator_renders_for_a_shipped_manifest(string file, string generationName)
    {
        var generation = Generations(Repo.File(file.Split('/'))).Single(g => g.Metadata.Name == generationName);
        var output = Path.Combine(teacher.Folder, "runs", generationName + "-" + Path.GetFileNameWithoutExtension(file));
        string? input = generation.Spec.Training?.Distillation?.Demonstrations is null ? teacher.ModelUri : null;

        if (generation.Spec.Training?.Grpo is { } grpo)
        {
            var config = TrainerConfigs.Grpo(RunTemplates.GrpoRunFor(generation, grpo, input!).Spec, input!);
            Run("grpo", ConfigYaml(config), output, "--set", $"output={output}/model", "--set", "steps=2", "--set", "promptsPerStep=2",
                "--set", "numGenerations=2", "--set", "sampling.maxNewTokens=16", "--set", "evalProblems=4", "--set", "checkpointEvery=1",
                "--set", "data.task=addition", "--set", "data.digits=1");
            Assert.True(File.Exists(Path.Combine(output, "model", "manifest.json")), "the GRPO run published its model");
        }
        if (generation.Spec.Training?.Distillation is { } distillation)
        {
            var config = TrainerConfigs.Distill(RunTemplates.DistillationFor(generation, distillation, input).Spec, input ?? "");
            string[] sizes = distillation.Demonstrations is null
                ? ["--set", "prompts.task=addition", "--set", "prompts.digits=1", "--set", "prompts.count=16"]
                : ["--set", "demonstrations.task=addition", "--set", "demonstrations.digits=1", "--set", "demonstrations.count=64", .. TinyTeacher.Shape];
            Run("distill", ConfigYaml(config), output, ["--set", $"output={output}/model", "--set", "sftSteps=2", "--set", "evalProblems=4",
                "--set", "testTime.sampling.maxNewTokens=16", "--set", "batchSize=4", .. sizes]);
            Assert.True(File.Exists(Path.Combine(output, "model", "manifest.json")), "the distillation published its model");
        }

        var eval = TrainerConfigs.Eval(generation.Spec.Evaluation, input ?? teacher.ModelUri, RunTemplates.EvalResultUri(generation));
        Run("eval", ConfigYaml(eval), output, "--set", $"model={teacher.ModelUri}", "--set", $"output={output}/eval/result.json",
            "--set", "data.count=4", "--set", "sampling.maxNewTokens=16");
        Assert.Contains("\"problems\": 4", File.ReadAllText(Path.Combine(output, "eval", "result.json")));
    }

    /// <summary>A Lineage whose GRPO step is judged by the champion, as a user writes it.</summary>
    const string JudgedLineage = """
        apiVersion: lineage.dev/v1alpha1
        kind: Lineage
        metadata: {name: math, namespace: demo}
        spec:
          base: {uri: "file:///var/lib/lineage/base"}
          template:
            evaluation: {dataset: {task: addition, digits: 1}, problems: 4}
          plan:
          - name: grpo-judged
            grpo:
              dataset: {task: addition, digits: 1}
              rewards:
              - {name: accuracy}
              - {name: judge, model: champion, principles: ["the answer is correct"], weight: 0.5, sampling: {maxNewTokens: 12}}
              steps: 2
        """;

    [Fact]
    public void The_trainer_runs_a_lineage_step_judged_by_its_champion_and_reports_the_judge_check()
    {
        var document = Yaml11.Documents(JudgedLineage, "judged lineage").Single();
        var lineage = KubernetesJson.Deserialize<LineageResource>(document.ToJsonString());
        var champion = new Generation
        {
            Metadata = new V1ObjectMeta { Name = "math-0", NamespaceProperty = "demo" },
            Status = new Generation.GenerationStatus { Phase = GenerationPhases.Promoted, Checkpoint = new CheckpointRef { Uri = teacher.ModelUri } },
        };
        var child = LineageDecision.Child(lineage, 1, lineage.Spec.Plan[0], champion, new StorageSpec { Uri = "file:///var/lib/lineage/store" });
        var config = TrainerConfigs.Grpo(RunTemplates.GrpoRunFor(child, child.Spec.Training!.Grpo!, teacher.ModelUri).Spec, teacher.ModelUri);
        var yaml = ConfigYaml(config);
        Assert.Equal(teacher.ModelUri, Assert.Single(config.Rewards, r => r.Name == "judge").Model);
        Assert.Contains("judgeCheck:", yaml);

        var output = Path.Combine(teacher.Folder, "runs", "judged");
        Run("grpo", yaml, output, "--set", $"output={output}/model", "--set", "steps=2", "--set", "promptsPerStep=2", "--set", "numGenerations=2",
            "--set", "sampling.maxNewTokens=16", "--set", "evalProblems=4", "--set", "judgeCheck.problems=4", "--set", "judgeCheck.samples=2");

        var progress = ContractJson.Deserialize<Progress>(File.ReadAllText(Path.Combine(output, "progress.json")), "progress.json");
        Assert.True(progress.Done);
        var judge = Assert.IsType<JudgeCheckResult>(progress.Judge);
        Assert.Equal((4, 2), (judge.Problems, judge.Samples));
        Assert.Equal(judge.PickAccuracy - judge.RandomAccuracy > judge.Margin + 1e-12, judge.Used);
        Assert.Equal(judge.Used ? JudgeCheckResult.BetterThanRandom : JudgeCheckResult.NotBetterThanRandom, judge.Reason);
        var trainLines = File.ReadAllLines(Path.Combine(output, "metrics.jsonl")).Where(l => l.Contains("\"train\"")).ToList();
        Assert.All(trainLines, line => Assert.Equal(judge.Used, line.Contains("judge")));
    }

    /// <summary>What the Job carries as config.yaml, rendered by the operator's own <see cref="TrainerConfigFile"/> and <see cref="JobRenderer"/>.</summary>
    static string ConfigYaml<T>(T config) =>
        JobRenderer.Render(new TrainerJob("job", "ns", new V1OwnerReference(), new Dictionary<string, string>(), "cmd", TrainerConfigFile.Yaml(config, "spec"),
            new Resources(), new StorageSpec { Uri = "s3://models" })).Spec.Template.Metadata.Annotations[TrainerConfigFile.Annotation];

    /// <summary>The Generations a manifest file makes: its Generation documents, or the children a Lineage breeds (base, then each plan step).</summary>
    static IEnumerable<Generation> Generations(string path)
    {
        foreach (var document in Yaml11.Documents(File.ReadAllText(path), path))
        {
            switch ((string?)document["kind"])
            {
                case Generation.KindName:
                    yield return KubernetesJson.Deserialize<Generation>(document.ToJsonString());
                    break;
                case LineageResource.KindName:
                    var lineage = KubernetesJson.Deserialize<LineageResource>(document.ToJsonString());
                    var storage = lineage.Spec.Template.Storage ?? new StorageSpec { Uri = "file:///var/lib/lineage/store" };
                    Generation? champion = null;
                    var steps = new PlanStep?[] { null }.Concat(lineage.Spec.Plan).ToList();
                    for (int birth = 0; birth < steps.Count; birth++)
                    {
                        var child = LineageDecision.Child(lineage, birth, steps[birth], champion, storage);
                        yield return child;
                        champion = child;
                    }
                    break;
            }
        }
    }

    static void Run(string command, string configYaml, string folder, params string[] overrides)
    {
        Directory.CreateDirectory(folder);
        var config = Path.Combine(folder, command + ".yaml");
        File.WriteAllText(config, configYaml);
        var (exit, output) = TinyTeacher.Trainer([command, "--config", config, .. overrides]);
        Assert.True(exit == 0, $"lineage-trainer {command} --config {config} exited {exit}:\n{configYaml}\n{output}");
    }

    /// <summary>A tiny model trained for a few seconds on 1-digit sums (it writes the think format), published with its manifest.</summary>
    public sealed class TinyTeacher : IDisposable
    {
        public static readonly string[] Shape =
        [
            "--set", "init.hiddenSize=64", "--set", "init.numHiddenLayers=2", "--set", "init.numAttentionHeads=4",
            "--set", "init.numKeyValueHeads=2", "--set", "init.intermediateSize=128", "--set", "init.maxPositionEmbeddings=128",
        ];

        public string Folder { get; } = Directory.CreateTempSubdirectory("lineage-rendered").FullName;
        public string ModelUri => new Uri(Path.Combine(Folder, "teacher", "model")).AbsoluteUri;

        public TinyTeacher()
        {
            var (exit, output) = Trainer(["sft", "--set", $"output={ModelUri}", "--set", "train.task=addition", "--set", "train.digits=1",
                "--set", "steps=200", "--set", "batchSize=8", "--set", "maxSeqLen=64", "--set", "optim.learningRate=3e-3", .. Shape]);
            if (exit != 0) throw new InvalidOperationException($"training the tiny teacher failed:\n{output}");
        }

        public static (int Exit, string Output) Trainer(string[] args)
        {
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            start.ArgumentList.Add(Repo.TrainerDll);
            foreach (var arg in args) start.ArgumentList.Add(arg);
            using var process = Process.Start(start)!;
            var stderr = process.StandardError.ReadToEndAsync();
            var stdout = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, stdout + stderr.Result);
        }

        public void Dispose()
        {
            try { Directory.Delete(Folder, recursive: true); } catch (IOException) { }
        }
    }
}
