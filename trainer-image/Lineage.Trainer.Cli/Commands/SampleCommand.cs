using System.CommandLine;
using System.Text.Json;
using Lineage.Contracts.Config;
using Lineage.Trainer.Devices;
using Lineage.Trainer.Model;
using Lineage.Trainer.Runs;
using Lineage.Trainer.Tasks;
using Lineage.Trainer.TestTime;

namespace Lineage.Trainer.Cli.Commands;

/// <summary>`sample`: batched, seeded generation; one JSON line per completion, or per prompt with a test-time strategy.</summary>
static class SampleCommand
{
    public static Command Create()
    {
        var command = new Command("sample", "Generate completions with the KV-cache sampler (greedy by default), or answer with a test-time strategy (--strategy); prints JSON lines.");
        var prompt = new Option<string[]>("--prompt", "-p") { Description = "A problem text to complete (repeatable)." };
        command.Options.Add(prompt);
        var config = new ConfigOptions(command,
            ("--model", "model", "Model directory or store URI (s3://bucket/…/model)"),
            ("--n", "n", "Completions per prompt"),
            ("--temperature", "sampling.temperature", "0 = greedy"),
            ("--top-k", "sampling.topK", "Keep the k most likely tokens"),
            ("--top-p", "sampling.topP", "Nucleus mass"),
            ("--max-new-tokens", "sampling.maxNewTokens", "Completion budget"),
            ("--seed", "sampling.seed", "Sampling seed"),
            ("--strategy", "testTime.strategy", "Answer with greedy, selfConsistency, bestOfN (needs testTime.ranker) or selfRefine"),
            ConfigOptions.Device);
        command.SetAction((parse, ct) => CliErrors.Guard(() =>
        {
            var direct = parse.GetValue(prompt) ?? [];
            // Prompts from --prompt go in as JSON strings, which YAML reads verbatim.
            var cfg = config.Load<SampleConfig>(parse, direct.Length == 0 ? null : [$"prompts=[{string.Join(", ", direct.Select(d => JsonSerializer.Serialize(d)))}]"]);
            using var model = PretrainedModel.Load(ModelLocation.Materialize(cfg.Model, ct), ComputeDevice.Resolve(cfg.Device));
            var problems = cfg.Prompts.Select((text, i) => new Problem($"prompt-{i}", "prompt", text, ""))
                .Concat(cfg.Data is null ? [] : ProblemSet.Load(DataLocation.Materialize(cfg.Data, "data", ct))).ToList();
            if (cfg.TestTime is { } testTime) Answer(model, problems, testTime, cfg.BatchSize, ct);
            else Complete(model, problems, cfg, ct);
            return 0;
        }));
        return command;
    }

    static void Complete(PretrainedModel model, IReadOnlyList<Problem> problems, SampleConfig cfg, CancellationToken ct)
    {
        using var sampler = new CandidateSampler(cfg.BatchSize, cfg.Sampling.Seed);
        var candidates = sampler.Sample(model, problems.Select(model.PromptIds).ToList(), cfg.N, cfg.Sampling, ct);
        for (int p = 0; p < problems.Count; p++)
            for (int s = 0; s < cfg.N; s++)
                Console.WriteLine(JsonSerializer.Serialize(new
                {
                    prompt = problems[p].Prompt,
                    sample = s,
                    completion = candidates[p][s].Text,
                    tokens = candidates[p][s].Tokens,
                    truncated = candidates[p][s].Truncated,
                }, CliJson.Line));
    }

    static void Answer(PretrainedModel model, IReadOnlyList<Problem> problems, TestTimeConfig testTime, int batchSize, CancellationToken ct)
    {
        using var strategy = TestTimeStrategies.Create(testTime, batchSize, testTime.Sampling.Seed, device: model.Model.Device);
        foreach (var s in strategy.Solve(model, problems, ct))
            Console.WriteLine(JsonSerializer.Serialize(new
            {
                prompt = s.Problem.Prompt,
                strategy = strategy.Name,
                answer = s.Answer,
                share = Math.Round(s.Share, 4),
                score = s.Rewards?[s.Chosen],
                correct = s.Problem.Answer.Length == 0 ? (bool?)null : s.IsCorrect,
                completion = s.Candidates[s.Chosen].Text,
                samples = s.Samples,
                tokens = s.Tokens,
                candidates = s.Candidates.Select(c => c.Text),
            }, CliJson.Line));
    }
}
