using k8s.Models;
using Lineage.Contracts.Store;
using Lineage.Operator.Api.V1Alpha1;

namespace Lineage.Operator.Decisions;

/// <summary>
/// What the controller saw for one GrpoRun or Distillation. <see cref="Input"/> is the resolved policy or
/// teacher URI (null with <see cref="InputProblem"/> when a referenced Generation has no promoted model yet);
/// <see cref="ConfigProblem"/> is the trainer's validation error for the rendered config, if any.
/// </summary>
public sealed record TrainingRunObservation(
    long Generation,
    RunStatus? Status,
    RunControl Control,
    string? Input,
    string? InputProblem,
    string? ConfigProblem,
    SecretState Secret,
    string? SecretName,
    string JobName,
    string Output,
    V1Job? Job,
    Progress? Progress,
    string? TerminationMessage,
    DateTime Now);
