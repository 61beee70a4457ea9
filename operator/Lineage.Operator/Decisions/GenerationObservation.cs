using k8s.Models;
using Lineage.Contracts.Store;
using Lineage.Operator.Api.V1Alpha1;

namespace Lineage.Operator.Decisions;

/// <summary>
/// What the controller saw for one Generation. <see cref="Ancestors"/> is the parent chain as far as it could
/// be followed (parent first; it stops at a base, a missing Generation or the first repeated name);
/// <see cref="Training"/> is the owned run (null before it exists); <see cref="ConfigProblem"/> is the trainer's
/// validation error for the training or evaluation config rendered from the spec; <see cref="EvalResult"/> is
/// eval/result.json once the evaluation Job succeeded; <see cref="ManifestSha256"/> hashes the model's manifest.
/// </summary>
public sealed record GenerationObservation(
    Generation Generation,
    IReadOnlyList<Generation> Ancestors,
    SecretState Secret,
    TrainingRunSummary? Training,
    string? ConfigProblem,
    V1Job? EvaluationJob,
    string? EvaluationTermination,
    EvalResult? EvalResult,
    string? ManifestSha256,
    DateTime Now);
