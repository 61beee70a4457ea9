namespace Lineage.Contracts.Config;

/// <summary>Where problems come from: a built-in verifiable task, or a JSONL file / store URI.</summary>
public sealed record DataConfig : IValidated
{
    public static readonly string[] Tasks = ["addition", "multiplication", "countdown"];

    /// <summary>Built-in task (addition, multiplication, countdown); leave empty when <see cref="Path"/> is set.</summary>
    public string? Task { get; init; }
    /// <summary>JSONL file or store URI with one problem per line.</summary>
    public string? Path { get; init; }
    /// <summary>Operand digits for addition and multiplication. Default 3.</summary>
    public int Digits { get; init; } = 3;
    /// <summary>Countdown: how many source numbers. Default 4.</summary>
    public int Numbers { get; init; } = 4;
    /// <summary>Countdown: largest target. Default 100.</summary>
    public int MaxTarget { get; init; } = 100;
    /// <summary>Countdown: largest source number (numbers are drawn from 1..maxNumber). Default 25.</summary>
    public int MaxNumber { get; init; } = 25;
    /// <summary>
    /// How many problems to generate or read (0 = all lines of a file). Default 20000.
    /// Train draws with replacement; test draws distinct problems, so it fails if the split holds fewer.
    /// </summary>
    public int Count { get; init; } = 20000;
    /// <summary>
    /// train or test, for built-in tasks: a hash of each problem decides its split (10 % test), so the splits
    /// are disjoint for every seed. Files are read as they are. Default train.
    /// </summary>
    public string Split { get; init; } = "train";
    /// <summary>Generator seed. Default 1.</summary>
    public int Seed { get; init; } = 1;
    /// <summary>JSONL field holding the prompt. Default "prompt".</summary>
    public string PromptField { get; init; } = "prompt";
    /// <summary>JSONL field holding the answer. Default "answer".</summary>
    public string AnswerField { get; init; } = "answer";
    /// <summary>JSONL field holding step-by-step reasoning, if any. Default "reasoning".</summary>
    public string ReasoningField { get; init; } = "reasoning";
    /// <summary>plain, or gsm8k (answer after "#### ", reasoning before it). Default plain.</summary>
    public string AnswerFormat { get; init; } = "plain";
    /// <summary>
    /// Share of rows (0–1, seeded by <see cref="Seed"/>) turned into self-refine demonstrations: the problem with an
    /// attempt to review (right half of the time, wrong otherwise), a critique that redoes the work, and the revised
    /// answer. What teaches a model the selfRefine strategy's format in SFT. Default 0.
    /// </summary>
    public double RefineShare { get; init; }

    public void Validate(Validation v, string path)
    {
        v.Require(string.IsNullOrEmpty(Task) != string.IsNullOrEmpty(Path), $"{path}task", "set exactly one of task or path");
        if (!string.IsNullOrEmpty(Task)) v.OneOf(Task, Tasks, $"{path}task");
        v.InRange(Digits, 1, 12, $"{path}digits");
        v.InRange(Numbers, 2, 6, $"{path}numbers");
        v.InRange(MaxTarget, 1, 100000, $"{path}maxTarget");
        v.InRange(MaxNumber, 1, 1000, $"{path}maxNumber");
        v.NonNegative(Count, $"{path}count");
        v.Require(string.IsNullOrEmpty(Task) || Count > 0, $"{path}count", "must be > 0 for a built-in task");
        v.OneOf(Split, ["train", "test"], $"{path}split");
        v.OneOf(AnswerFormat, ["plain", "gsm8k"], $"{path}answerFormat");
        v.InRange(RefineShare, 0, 1, $"{path}refineShare");
    }
}
