using k8s.Models;
using Lineage.Contracts.Config;
using Lineage.Contracts.Store;
using Lineage.Operator.Api.V1Alpha1;

namespace Lineage.Operator.Tests;

/// <summary>Objects as the API server would return them, built small for table tests.</summary>
static class Fixtures
{
    public static readonly DateTime Now = new(2026, 12, 1, 9, 0, 0, DateTimeKind.Utc);
    public const string Ns = "ml";
    public const string StoreUri = "s3://models/lineages";

    public static Generation Generation(string name, string? parent = null, string? baseUri = null, TrainingSpec? training = null,
        PromotionSpec? promotion = null, string lineage = "math", string? phase = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = Ns, Uid = $"uid-{name}", Generation = 1 },
        Spec = new Generation.GenerationSpec
        {
            Lineage = lineage,
            Parent = parent,
            Base = parent is null ? baseUri ?? "s3://models/base/qwen2.5-0.5b-instruct" : baseUri,
            Training = training,
            Evaluation = new EvaluationSpec { Dataset = new DataConfig { Task = "multiplication", Digits = 2 }, Problems = 200 },
            Promotion = promotion ?? new PromotionSpec { MinScore = 0.3, MinImprovementOverParent = 0.02 },
            Storage = new StorageSpec { Uri = StoreUri, SecretName = "s3-creds" },
        },
        Status = phase is null ? null : new Generation.GenerationStatus { Phase = phase },
    };

    public static Generation Promoted(string name, double score, int number = 0, string? parent = null, string lineage = "math")
    {
        var g = Generation(name, parent: parent, lineage: lineage);
        g.Status = new Generation.GenerationStatus
        {
            Phase = GenerationPhases.Promoted,
            Score = score,
            GenerationNumber = number,
            Checkpoint = new CheckpointRef { Uri = $"{StoreUri}/{lineage}/{name}/model", Sha256 = "ab12" },
        };
        return g;
    }

    public static readonly TrainingSpec Grpo = new() { Grpo = new GrpoTemplate { Steps = 120, CheckpointEvery = 20 } };
    public static readonly TrainingSpec Distill = new() { Distillation = new DistillationTemplate { Strategy = "selfConsistency", Samples = 16, SftSteps = 50 } };

    public static V1Job Job(string name, int active = 0, int failed = 0, string? condition = null, string? reason = null, string? message = null, bool suspend = false) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = Ns },
        Spec = new V1JobSpec { Suspend = suspend, Template = new V1PodTemplateSpec() },
        Status = new V1JobStatus
        {
            Active = active,
            Failed = failed,
            StartTime = Now.AddMinutes(-10),
            CompletionTime = condition == "Complete" ? Now : null,
            Conditions = condition is null ? null : [new V1JobCondition { Type = condition, Status = "True", Reason = reason, Message = message }],
        },
    };

    public static EvalResult Result(double score) => new()
    {
        Model = "m", Task = "multiplication", Metric = "greedy", Problems = 200, Score = score, Accuracy = score, FormatRate = 0.99,
    };
}
