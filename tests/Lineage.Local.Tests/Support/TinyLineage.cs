namespace Lineage.Local.Tests.Support;

/// <summary>A three-generation lineage small enough for a test: a tiny model from scratch (SFT), GRPO, then distillation.</summary>
static class TinyLineage
{
    public const string Namespace = "tiny";
    public const string Name = "math";

    /// <param name="grpoSteps">GRPO steps of generation 1 (more steps leave time to interrupt it).</param>
    public static string Manifest(int grpoSteps = 3, int checkpointEvery = 3) => $$"""
        apiVersion: v1
        kind: Namespace
        metadata: {name: {{Namespace}}}
        ---

        """ + Lineage(Name, Namespace, grpoSteps, checkpointEvery);

    /// <summary>
    /// The Lineage alone. The data-plane chaos benchmark (tests/Lineage.Chaos.Bench, which links this file) runs the same
    /// lineage with a labelled name, more SFT, checkpoints in generation 0 and an s3:// store.
    /// </summary>
    /// <param name="labels">Extra metadata labels as YAML flow pairs (<c>k: v</c>), or null.</param>
    /// <param name="storage">The template's <c>storage</c> as a YAML flow mapping, or null for the operator's default store.</param>
    public static string Lineage(string name, string ns, int grpoSteps = 3, int checkpointEvery = 3, string? labels = null,
        int sftSteps = 120, int? baseCheckpointEvery = null, int distillSftSteps = 3, string? storage = null) => $$"""
        apiVersion: lineage.dev/v1alpha1
        kind: Lineage
        metadata: {name: {{name}}, namespace: {{ns}}{{(labels is null ? "" : $", labels: {{{labels}}}")}}}
        spec:
          maxGenerations: 3
          base:
            training:
              distillation:
                demonstrations: {task: addition, digits: 1}
                init: {hiddenSize: 64, numHiddenLayers: 2, numAttentionHeads: 4, numKeyValueHeads: 2, intermediateSize: 128, maxPositionEmbeddings: 128}
                sftSteps: {{sftSteps}}
                batchSize: 8
                maxSeqLen: 64
                evalProblems: 0{{(baseCheckpointEvery is { } every ? $"\n        checkpointEvery: {every}" : "")}}
                optim: {learningRate: 3.0e-3}
          template:
            evaluation:
              dataset: {task: addition, digits: 1}
              problems: 8
              sampling: {maxNewTokens: 24}
            promotion: {minScore: 0, minImprovementOverParent: -1}
            resources: {cpu: "1", memory: 2Gi}{{(storage is null ? "" : $"\n    storage: {storage}")}}
          plan:
          - name: grpo
            grpo:
              dataset: {task: addition, digits: 1}
              numGenerations: 2
              promptsPerStep: 2
              steps: {{grpoSteps}}
              checkpointEvery: {{checkpointEvery}}
              evalProblems: 8
              sampling: {maxNewTokens: 16}
          - name: distill
            distillation:
              strategy: selfConsistency
              samples: 2
              filter: none
              sampling: {maxNewTokens: 16}
              prompts: {task: addition, digits: 1, count: 6}
              evalProblems: 6
              sftSteps: {{distillSftSteps}}
              batchSize: 4
              maxSeqLen: 64
              checkpointEvery: 3
        """;

    public static string Write(string folder, int grpoSteps = 3, int checkpointEvery = 3)
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, "tiny-lineage.yaml");
        File.WriteAllText(path, Manifest(grpoSteps, checkpointEvery));
        return path;
    }
}
