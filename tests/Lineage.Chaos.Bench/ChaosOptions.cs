namespace Lineage.Chaos.Bench;

/// <summary>Command-line options; a bad value is an error naming the option.</summary>
public sealed record ChaosOptions
{
    public double DurationMinutes { get; init; } = 5;
    public int Seed { get; init; } = 1;
    /// <summary>Faulted lineages running at once (new ones start as others finish, so there is always work).</summary>
    public int Concurrency { get; init; } = 3;
    /// <summary>Mean seconds between injected trainer and store faults (exponential gaps).</summary>
    public double FaultIntervalSeconds { get; init; } = 4;
    /// <summary>Every this many lineages one gets a flipped byte in a published model.</summary>
    public int CorruptModelEvery { get; init; } = 4;
    /// <summary>Pod-failing faults per training Job (below its backoffLimit of 3, so the plan still says it must succeed).</summary>
    public int KillsPerJob { get; init; } = 2;
    public double Cpus { get; init; } = 3;
    /// <summary>Relative weights of the random faults: SIGKILL mid-step, SIGKILL mid-upload, S3 restart mid-upload, checkpoint byte flip.</summary>
    public IReadOnlyDictionary<string, int> Weights { get; init; } = new Dictionary<string, int>
    {
        ["kill-step"] = 3, ["kill-upload"] = 2, ["s3-restart"] = 2, ["flip-checkpoint"] = 1,
    };
    public string? Output { get; init; }

    public static ChaosOptions Parse(string[] args)
    {
        var o = new ChaosOptions();
        for (int i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]}: needs a value");
            double Positive(string name, string text) => double.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var v) && v > 0
                ? v : throw new ArgumentException($"{name}: '{text}' must be a positive number");
            o = args[i] switch
            {
                "--duration-minutes" => o with { DurationMinutes = Positive("--duration-minutes", Value()) },
                "--seed" => o with { Seed = int.TryParse(Value(), out var s) ? s : throw new ArgumentException($"--seed: '{args[i]}' is not an integer") },
                "--concurrency" => o with { Concurrency = (int)Positive("--concurrency", Value()) },
                "--fault-interval-seconds" => o with { FaultIntervalSeconds = Positive("--fault-interval-seconds", Value()) },
                "--corrupt-model-every" => o with { CorruptModelEvery = (int)Positive("--corrupt-model-every", Value()) },
                "--kills-per-job" => o with { KillsPerJob = (int)Positive("--kills-per-job", Value()) },
                "--cpus" => o with { Cpus = Positive("--cpus", Value()) },
                "--output" => o with { Output = Value() },
                "--weights" => o with { Weights = ParseWeights(Value(), o.Weights) },
                _ => throw new ArgumentException($"unknown option '{args[i]}' (--duration-minutes, --seed, --concurrency, --fault-interval-seconds, --corrupt-model-every, --kills-per-job, --cpus, --weights, --output)"),
            };
        }
        if (o.Weights.Values.Sum() == 0) throw new ArgumentException("--weights: at least one fault needs a weight above 0");
        if (o.KillsPerJob > 2) throw new ArgumentException($"--kills-per-job: {o.KillsPerJob} would exhaust a training Job's backoffLimit of 3");
        return o;
    }

    /// <summary>"kill-step=3,flip-checkpoint=5": the named weights replace the defaults; unnamed ones stay.</summary>
    static IReadOnlyDictionary<string, int> ParseWeights(string text, IReadOnlyDictionary<string, int> defaults)
    {
        var weights = new Dictionary<string, int>(defaults);
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var pair = part.Split('=');
            if (pair.Length != 2 || !weights.ContainsKey(pair[0]) || !int.TryParse(pair[1], out var w) || w < 0)
                throw new ArgumentException($"--weights: '{part}' is not NAME=N with N ≥ 0 and NAME one of {string.Join(", ", defaults.Keys)}");
            weights[pair[0]] = w;
        }
        return weights;
    }
}
