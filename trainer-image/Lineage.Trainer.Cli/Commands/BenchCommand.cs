using System.CommandLine;
using System.Text.Json;
using Lineage.Trainer.Benchmarks;
using Lineage.Trainer.Devices;
using Lineage.Trainer.Model;

namespace Lineage.Trainer.Cli.Commands;

/// <summary>`bench`: matmul peak, training throughput and MFU, KV-cache decode speed-up, RSS drift, rollout sampling rate.</summary>
static class BenchCommand
{
    public static Command Create()
    {
        var only = new Option<string[]>("--only") { Description = "Subset: matmul, train, decode, memory (default all of these); rollout (GRPO sampling tokens/s vs the matmul bound), grpo (step time vs G and length), grpo-memory (RSS over GRPO steps) and test-time (every strategy on --model) only when named.", AllowMultipleArgumentsPerToken = true };
        var hidden = new Option<int>("--hidden") { Description = "Hidden size of the benchmark model.", DefaultValueFactory = _ => 256 };
        var memorySteps = new Option<int>("--memory-steps") { Description = "Training steps for the RSS drift check.", DefaultValueFactory = _ => 1000 };
        var grpoSteps = new Option<int>("--grpo-steps") { Description = "Measured GRPO steps per grid point (after one warm-up step).", DefaultValueFactory = _ => 2 };
        var grpoMemorySteps = new Option<int>("--grpo-memory-steps") { Description = "GRPO steps for the RSS drift check.", DefaultValueFactory = _ => 500 };
        var rolloutPrompts = new Option<int>("--rollout-prompts") { Description = "Distinct prompts per rollout batch.", DefaultValueFactory = _ => 16 };
        var rolloutSamples = new Option<int>("--rollout-samples") { Description = "Samples per prompt (GRPO's G).", DefaultValueFactory = _ => 8 };
        var rolloutTokens = new Option<int>("--rollout-tokens") { Description = "New tokens per sample (every stop disabled).", DefaultValueFactory = _ => 64 };
        var rolloutRepeats = new Option<int>("--rollout-repeats") { Description = "Measured repeats after one warm-up; each repeat times group sampling, repeated prompts and the decoder before group sampling in turn.", DefaultValueFactory = _ => 5 };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of text." };
        var model = new Option<string?>("--model") { Description = "test-time: the model whose strategies are measured (directory or store URI)." };
        var problems = new Option<int>("--problems") { Description = "test-time: held-out problems (2-digit multiplication's test split holds 813).", DefaultValueFactory = _ => 813 };
        var samples = new Option<int>("--samples") { Description = "test-time: N for maj@N and best-of-N.", DefaultValueFactory = _ => 8 };
        var temperature = new Option<double>("--temperature") { Description = "test-time: sampling temperature.", DefaultValueFactory = _ => 0.8 };
        var rewardModel = new Option<string?>("--reward-model") { Description = "test-time: a reward model that also ranks best-of-N." };
        var judgeModel = new Option<string?>("--judge-model") { Description = "test-time: a judge that also ranks best-of-N." };
        var device = new Option<string?>(ConfigOptions.Device.Flag) { Description = ConfigOptions.Device.Help + ". rollout compares against a CPU-only reference decoder and always runs on the CPU." };
        var command = new Command("bench", "Measure this machine: fp32 matmul peak, training tokens/s and MFU, KV-cache speed-up, memory drift.")
        {
            only, hidden, memorySteps, grpoSteps, grpoMemorySteps, rolloutPrompts, rolloutSamples, rolloutTokens, rolloutRepeats, json,
            model, problems, samples, temperature, rewardModel, judgeModel, device,
        };
        command.SetAction(parse => CliErrors.Guard(() =>
        {
            var on = ComputeDevice.Resolve(parse.GetValue(device), "--device");
            var parts = parse.GetValue(only) is { Length: > 0 } o ? o.SelectMany(s => s.Split(',')).ToHashSet() : ["matmul", "train", "decode", "memory"];
            bool asJson = parse.GetValue(json);
            var report = new Dictionary<string, object>();
            void Say(string line) { if (!asJson) Console.WriteLine(line); }
            var config = BenchModel(parse.GetValue(hidden));
            report["threads"] = TorchSharp.torch.get_num_threads();
            report["device"] = ComputeDevice.Describe(on);

            var (peak, size) = MatmulPeak.Measure(device: on);
            report["matmulPeakGflops"] = Math.Round(peak, 1);
            Say($"fp32 matmul peak on {ComputeDevice.Describe(on)}: {peak:F1} GFLOP/s (n={size}, {TorchSharp.torch.get_num_threads()} threads)");
            if (parts.Contains("train"))
            {
                var t = TrainingThroughput.Measure(config, batch: 16, seqLen: 128, steps: 10, peak, on);
                report["train"] = new { hidden = config.HiddenSize, layers = config.NumHiddenLayers, parameters = t.Parameters, tokensPerSecond = Math.Round(t.TokensPerSecond), modelGflops = Math.Round(t.ModelGigaFlops, 1), mfu = Math.Round(t.Mfu, 3) };
                Say($"training: {t.TokensPerSecond:F0} tokens/s, {t.ModelGigaFlops:F1} model GFLOP/s, MFU {100 * t.Mfu:F1}% (hidden {config.HiddenSize}, {config.NumHiddenLayers} layers, {t.Parameters:N0} params, batch 16 x 128)");
            }
            if (parts.Contains("decode"))
            {
                var d = DecodeSpeed.Measure(config, batch: 8, promptLength: 16, newTokens: 256, on);
                report["decode"] = new { newTokens = 256, batch = 8, cachedTokensPerSecond = Math.Round(d.CachedTokensPerSecond), recomputeTokensPerSecond = Math.Round(d.RecomputeTokensPerSecond), speedup = Math.Round(d.Speedup, 2) };
                Say($"decoding 256 new tokens x 8: KV cache {d.CachedTokensPerSecond:F0} tok/s vs recompute {d.RecomputeTokensPerSecond:F0} tok/s = {d.Speedup:F1}x");
            }
            if (parts.Contains("rollout"))
            {
                var r = RolloutSpeed.Measure(new Lineage.Contracts.Config.ModelInit(), parse.GetValue(rolloutPrompts), parse.GetValue(rolloutSamples),
                    parse.GetValue(rolloutTokens), parse.GetValue(rolloutRepeats), peak);
                object Timing(RolloutTiming t) => new { best = Math.Round(t.Best), median = Math.Round(t.Median), medianPerCpuSecond = Math.Round(t.MedianPerCpuSecond), repeats = t.TokensPerSecond.Select(x => Math.Round(x)) };
                report["rollout"] = new { prompts = r.Prompts, samplesPerPrompt = r.SamplesPerPrompt, newTokens = r.NewTokens, parameters = r.Parameters, meanPromptTokens = Math.Round(r.PromptTokens, 1),
                    grouped = Timing(r.Grouped), unsharedPrefill = Timing(r.Unshared), baseline = Timing(r.Baseline), medianSpeedup = Math.Round(r.MedianSpeedup, 2),
                    matmulBoundTokensPerSecond = Math.Round(r.MatmulBoundTokensPerSecond), fractionOfBound = Math.Round(r.FractionOfBound, 3) };
                string Line(RolloutTiming t) => $"best {t.Best,6:F0}, median {t.Median,6:F0} tok/s, {t.MedianPerCpuSecond,6:F0} per CPU s (repeats {string.Join(" ", t.TokensPerSecond.Select(x => x.ToString("F0")))})";
                Say($"rollout {r.Prompts} prompts x {r.SamplesPerPrompt} samples x {r.NewTokens} new tokens (T 0.7, {r.Parameters:N0} params, prompts {r.PromptTokens:F1} tokens), taking turns:");
                Say($"  group sampling         {Line(r.Grouped)}");
                Say($"  prompts repeated       {Line(r.Unshared)}");
                Say($"  decoder before #11     {Line(r.Baseline)}");
                Say($"  speed-up over the decoder before #11: {r.MedianSpeedup:F2}x (median of paired repeats); group sampling at {100 * r.FractionOfBound:F1}% of the matmul bound {r.MatmulBoundTokensPerSecond:F0} tok/s");
            }
            if (parts.Contains("memory"))
            {
                int steps = parse.GetValue(memorySteps);
                var samples = new List<long>();
                var tensors = new List<long>();
                var managed = new List<long>();
                var m = MemoryStability.Measure(config, steps, batch: 8, seqLen: 64, (_, rss) => { samples.Add(rss >> 20); tensors.Add(TorchSharp.torch.Tensor.TotalCount); managed.Add(GC.GetGCMemoryInfo().TotalCommittedBytes >> 20); }, on);
                Say($"RSS every 100 steps (MB): {string.Join(' ', samples)}");
                Say($"live tensors every 100 steps: {string.Join(' ', tensors)}");
                Say($"managed heap committed every 100 steps (MB): {string.Join(' ', managed)}");
                report["memory"] = new { steps, rssAfterWarmupMb = m.ResidentAfterWarmup >> 20, rssAtEndMb = m.ResidentAtEnd >> 20, peakRssMb = m.PeakResident >> 20, liveTensors = tensors, driftPercent = Math.Round(m.DriftPercent, 2) };
                Say($"memory over {steps} training steps: RSS {m.ResidentAfterWarmup >> 20} MB after warmup -> {m.ResidentAtEnd >> 20} MB at end ({m.DriftPercent:+0.0;-0.0}%), peak {m.PeakResident >> 20} MB");
            }
            if (parts.Contains("grpo")) report["grpo"] = GrpoGrid(parse.GetValue(grpoSteps), on, Say);
            if (parts.Contains("grpo-memory"))
            {
                int steps = parse.GetValue(grpoMemorySteps);
                var samples = new List<long>();
                var m = GrpoMemory.Measure(new Lineage.Contracts.Config.ModelInit(), steps, generations: 8, maxNewTokens: 24, promptsPerStep: 4, (_, rss) => samples.Add(rss >> 20), on);
                Say($"RSS every 50 GRPO steps (MB): {string.Join(' ', samples)}");
                report["grpoMemory"] = new { steps, rssAfterWarmupMb = m.ResidentAfterWarmup >> 20, rssAtEndMb = m.ResidentAtEnd >> 20, peakRssMb = m.PeakResident >> 20, liveTensors = TorchSharp.torch.Tensor.TotalCount, driftPercent = Math.Round(m.DriftPercent, 2), samplesMb = samples };
                Say($"memory over {steps} GRPO steps (G 8 x 4 prompts, 24 new tokens): RSS {m.ResidentAfterWarmup >> 20} MB after warmup -> {m.ResidentAtEnd >> 20} MB at end ({m.DriftPercent:+0.0;-0.0}%), peak {m.PeakResident >> 20} MB");
            }
            if (parts.Contains("test-time"))
                report["testTime"] = TestTime(parse.GetValue(model) ?? throw new Lineage.Contracts.Config.ConfigError("--model: test-time needs the model to measure"),
                    parse.GetValue(problems), parse.GetValue(samples), parse.GetValue(temperature), parse.GetValue(rewardModel), parse.GetValue(judgeModel), on, Say);
            if (asJson) Console.WriteLine(JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true }));
            return 0;
        }));
        return command;
    }

    /// <summary>GRPO step time of the default small model split into rollout and update, over G (at 64 tokens) and completion length (at G 8).</summary>
    static List<GrpoTiming> GrpoGrid(int steps, TorchSharp.torch.Device device, Action<string> say)
    {
        var shape = new Lineage.Contracts.Config.ModelInit();
        var grid = new List<(int G, int Length)> { (4, 64), (8, 64), (16, 64), (8, 32), (8, 128) };
        var results = new List<GrpoTiming>();
        foreach (var (g, length) in grid)
        {
            var t = GrpoStepTiming.Measure(shape, g, length, promptsPerStep: 4, steps, device);
            results.Add(t);
            say($"grpo G={g,2} x 4 prompts, {t.CompletionTokens,4:F0} tokens/completion: rollout {t.RolloutSeconds,6:F2} s ({t.RolloutCpuSeconds,6:F2} CPU s), update {t.UpdateSeconds,6:F2} s ({t.UpdateCpuSeconds,6:F2} CPU s) per step");
        }
        return results;
    }

    /// <summary>Every test-time strategy on 2-digit multiplication's held-out problems (<see cref="TestTimeTable"/>).</summary>
    static List<object> TestTime(string location, int count, int samples, double temperature, string? rewardModel, string? judgeModel, TorchSharp.torch.Device device,
        Action<string> say)
    {
        using var policy = PretrainedModel.Load(Lineage.Trainer.Runs.ModelLocation.Materialize(location), device);
        var problems = Lineage.Trainer.Tasks.ProblemSet.Load(new Lineage.Contracts.Config.DataConfig { Task = "multiplication", Digits = 2, Split = "test", Count = count });
        var rankers = new List<(string, Lineage.Contracts.Config.RewardSpec)> { ("verifier", new() { Name = "accuracy" }) };
        if (rewardModel is not null) rankers.Add(("reward model", new() { Name = "rewardModel", Model = rewardModel }));
        if (judgeModel is not null) rankers.Add(("judge", new() { Name = "judge", Model = judgeModel, Principles = [.. Lineage.Trainer.Rewards.JudgePrompt.DefaultPrinciples] }));
        var sampling = new Lineage.Contracts.Config.SamplingConfig { Temperature = temperature, MaxNewTokens = 96 };
        say($"test-time strategies on {problems.Count} held-out 2-digit multiplications ({location}), T={temperature}, {TorchSharp.torch.get_num_threads()} threads");
        say($"{"strategy",-42} {"accuracy",8} {"pass@N",7} {"samples",7} {"tokens",7} {"wall s",7} {"CPU s",7}");
        return TestTimeTable.Measure(policy, problems, TestTimeTable.Strategies(samples, sampling, rankers), batchSize: 64, seed: 1, row =>
            say($"{row.Name,-42} {row.Report.Accuracy,8:P1} {row.Report.PassAtN,7:P1} {row.Report.SamplesPerProblem,7:F1} {row.Report.TokensPerProblem,7:F1} {row.Report.Seconds,7:F0} {row.CpuSeconds,7:F0}"))
            .Select(r => (object)new { strategy = r.Name, accuracy = r.Report.Accuracy, passAtN = r.Report.PassAtN, samplesPerProblem = r.Report.SamplesPerProblem,
                tokensPerProblem = Math.Round(r.Report.TokensPerProblem, 2), formatRate = r.Report.FormatRate, meanShare = Math.Round(r.Report.MeanShare, 4),
                seconds = Math.Round(r.Report.Seconds, 1), cpuSeconds = Math.Round(r.CpuSeconds, 1) }).ToList();
    }

    /// <summary>The default small model's shape at the requested width; a 64-symbol vocabulary like the built-in tokenizer's.</summary>
    static ModelConfig BenchModel(int hidden) => new()
    {
        VocabSize = 64,
        HiddenSize = hidden,
        IntermediateSize = hidden * 8 / 3 / 8 * 8,
        NumHiddenLayers = 4,
        NumAttentionHeads = Math.Max(1, hidden / 32),
        NumKeyValueHeads = Math.Max(1, hidden / 64),
        MaxPositionEmbeddings = 1024,
        TieWordEmbeddings = true,
    };
}
