namespace Lineage.Contracts.Config;

/// <summary>
/// `lineage-trainer grpo`. Defaults follow the GRPO/DAPO papers and TRL's GRPOConfig where they agree:
/// G = 8 completions per prompt, ε = 0.2 (PPO/GRPO), ε_high = 0.28 (DAPO "clip-higher"),
/// β = 0 (no reference model; DAPO and Dr. GRPO drop the KL term), μ = 1 iteration, and a
/// learning rate of 1e-6 suited to real 0.5B–8B models. <see cref="ForSmallModels"/> holds the
/// tuned values for the built-in small models.
/// </summary>
public sealed record GrpoConfig : IValidated
{
    public static readonly string[] ScaleRewardsModes = ["group", "batch", "none"];
    public static readonly string[] LossTypes = ["grpo", "bnpo", "dapo", "dr_grpo"];

    /// <summary>Policy to improve: model directory or store URI. Required.</summary>
    public string Policy { get; init; } = "";
    /// <summary>Frozen KL reference; default the initial policy. Not loaded when beta = 0.</summary>
    public string? Reference { get; init; }
    /// <summary>Trained model directory (path or store URI). Required.</summary>
    public string Output { get; init; } = "";
    /// <summary>Training-state directory; default Output + "-state".</summary>
    public string? State { get; init; }
    public DataConfig Data { get; init; } = new() { Task = "multiplication", Digits = 2 };
    public DataConfig? Eval { get; init; }
    public List<RewardSpec> Rewards { get; init; } = [new() { Name = "accuracy" }, new() { Name = "format", Weight = 0.2 }];
    /// <summary>Qualify the judge term before training with it (<see cref="JudgeCheckConfig"/>); null = use it unchecked.</summary>
    public JudgeCheckConfig? JudgeCheck { get; init; }
    /// <summary>G, completions per prompt. Default 8.</summary>
    public int NumGenerations { get; init; } = 8;
    /// <summary>Prompts per step (the batch is prompts × G completions). Default 8.</summary>
    public int PromptsPerStep { get; init; } = 8;
    public double Epsilon { get; init; } = 0.2;
    public double EpsilonHigh { get; init; } = 0.28;
    /// <summary>KL coefficient against the reference (k3 estimator). Default 0.</summary>
    public double Beta { get; init; }
    /// <summary>group: (r − mean)/(std+ε) per group; batch: std over the batch; none: Dr. GRPO (no scaling).</summary>
    public string ScaleRewards { get; init; } = "group";
    /// <summary>grpo, bnpo, dapo or dr_grpo aggregation. Default dapo.</summary>
    public string LossType { get; init; } = "dapo";
    /// <summary>μ, optimisation passes over each batch of rollouts. Default 1.</summary>
    public int NumIterations { get; init; } = 1;
    /// <summary>Exclude completions that hit maxNewTokens from the loss.</summary>
    public bool MaskTruncated { get; init; }
    /// <summary>Skip groups whose rewards are all equal (no signal); they are counted.</summary>
    public bool DynamicSampling { get; init; }
    /// <summary>GRPO steps; each samples one batch of rollouts and makes numIterations optimizer updates on it. Default 200.</summary>
    public int Steps { get; init; } = 200;
    public OptimConfig Optim { get; init; } = new() { LearningRate = 1e-6, WarmupSteps = 0, MinLearningRateRatio = 1.0, WeightDecay = 0 };
    public SamplingConfig Sampling { get; init; } = new() { Temperature = 1.0, MaxNewTokens = 256 };
    public int CheckpointEvery { get; init; } = 50;
    /// <summary>Training checkpoints kept (older ones deleted). Default 3.</summary>
    public int KeepCheckpoints { get; init; } = 3;
    public int EvalEvery { get; init; }
    public int EvalProblems { get; init; } = 200;
    public int LogEvery { get; init; } = 1;
    /// <summary>Seeds the data order and the rollout sampler (sampling.seed is not used by GRPO). Default 1.</summary>
    public long Seed { get; init; } = 1;
    public bool Resume { get; init; } = true;

    /// <summary>
    /// For the built-in small models (hidden 256, 4 layers, 2.9 M parameters) on CPU, from the multiplication runs in
    /// docs/benchmarks/grpo.md: G = 8 × 16 prompts (128 rollouts, ~1.4 s a step on 2 cores); completions are ~40 tokens,
    /// so a 64-token budget never truncates a well-formed one; scaleRewards none (Dr. GRPO) with dynamic sampling, because
    /// with group scaling a group whose only difference is one malformed answer gets advantages as large as a group with
    /// a correct answer, and format noise dominated the update; learning rate 2e-5 (1e-4 and above walked greedy accuracy
    /// down; 4e-5 learned no faster per step than 2e-5: the update is limited by reward noise, not step size); rollout
    /// temperature 0.7, which beat 1.0 and 0.55 (+11.6 vs +10.5 held-out points in 650 steps: rollouts closer to greedy
    /// decoding train the tokens that greedy decoding gets wrong).
    /// </summary>
    public static GrpoConfig ForSmallModels(string policy, string output) => new()
    {
        Policy = policy,
        Output = output,
        NumGenerations = 8,
        PromptsPerStep = 16,
        ScaleRewards = "none",
        DynamicSampling = true,
        Optim = new() { LearningRate = 2e-5, WarmupSteps = 5, MinLearningRateRatio = 1.0, WeightDecay = 0 },
        Sampling = new() { Temperature = 0.7, MaxNewTokens = 64 },
    };

    /// <summary>auto, cpu, cuda or cuda:N (<see cref="DeviceSetting"/>); unset = the LINEAGE_DEVICE variable, else auto.</summary>
    public string? Device { get; init; }

    public void Validate(Validation v, string path)
    {
        DeviceSetting.Validate(v, Device, $"{path}device");
        v.NotEmpty(Policy, $"{path}policy");
        v.NotEmpty(Output, $"{path}output");
        Data.Validate(v, $"{path}data.");
        Eval?.Validate(v, $"{path}eval.");
        v.Require(Rewards.Count > 0, $"{path}rewards", "at least one reward is required");
        for (int i = 0; i < Rewards.Count; i++) Rewards[i].Validate(v, $"{path}rewards[{i}].");
        if (JudgeCheck is { Enabled: true } check)
        {
            check.Validate(v, $"{path}judgeCheck.");
            v.Require(Rewards.Count(r => r.Name == "judge") == 1, $"{path}judgeCheck",
                $"needs exactly one judge term in rewards (got {Rewards.Count(r => r.Name == "judge")})");
        }
        v.InRange(NumGenerations, 2, 1024, $"{path}numGenerations");
        v.Positive(PromptsPerStep, $"{path}promptsPerStep");
        v.InRange(Epsilon, 0, 1, $"{path}epsilon");
        v.NonNegative(EpsilonHigh, $"{path}epsilonHigh");
        v.NonNegative(Beta, $"{path}beta");
        v.OneOf(ScaleRewards, ScaleRewardsModes, $"{path}scaleRewards");
        v.OneOf(LossType, LossTypes, $"{path}lossType");
        v.InRange(NumIterations, 1, 64, $"{path}numIterations");
        v.Positive(Steps, $"{path}steps");
        Optim.Validate(v, $"{path}optim.");
        Sampling.Validate(v, $"{path}sampling.");
        v.NonNegative(CheckpointEvery, $"{path}checkpointEvery");
        v.Positive(KeepCheckpoints, $"{path}keepCheckpoints");
        v.Positive(LogEvery, $"{path}logEvery");
    }
}
