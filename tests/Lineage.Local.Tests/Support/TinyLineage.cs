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
        apiVersion: lineage.dev/v1alpha1
        kind: Lineage
        metadata: {name: {{Name}}, namespace: {{Namespace}}}
        spec:
          maxGenerations: 3
          base:
            training:
              distillation:
                demonstrations: {task: addition, digits: 1}
                init: {hiddenSize: 64, numHiddenLayers: 2, numAttentionHeads: 4, numKeyValueHeads: 2, intermediateSize: 128, maxPositionEmbeddings: 128}
                sftSteps: 120
                batchSize: 8
                maxSeqLen: 64
                evalProblems: 0
                optim: {learningRate: 3.0e-3}
          template:
            evaluation:
              dataset: {task: addition, digits: 1}
              problems: 8
              sampling: {maxNewTokens: 24}
            promotion: {minScore: 0, minImprovementOverParent: -1}
            resources: {cpu: "1", memory: 2Gi}
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
              sftSteps: 3
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
