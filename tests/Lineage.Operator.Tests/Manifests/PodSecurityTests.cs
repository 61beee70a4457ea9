using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Lineage.Operator.Api.V1Alpha1;
using Lineage.Operator.Rendering;

namespace Lineage.Operator.Tests.Manifests;

/// <summary>Every pod the operator renders, and the chart's own, pass the Pod Security Standards' restricted profile.</summary>
public sealed class PodSecurityTests
{
    static readonly V1OwnerReference Owner = new() { ApiVersion = "lineage.dev/v1alpha1", Kind = "GrpoRun", Name = "gen-2", Uid = "uid-1", BlockOwnerDeletion = true, Controller = true };

    /// <summary>A trainer Job's pod spec as the API server stores it (JSON, as PodSecurity admission sees it).</summary>
    static JsonNode TrainerPod(string command, Resources resources, StorageSpec storage) =>
        JsonNode.Parse(KubernetesJson.Serialize(JobRenderer.Render(new TrainerJob("gen-2-train", "ml", Owner, new Dictionary<string, string>(), command,
            "gen-2-config", resources, storage)).Spec.Template.Spec))!;

    public static TheoryData<string, Resources, StorageSpec> RenderedPods => new()
    {
        { "grpo", new Resources(), new StorageSpec { Uri = "s3://models/x", SecretName = "s3-creds" } },
        { "distill", new Resources { Gpus = 1, Tolerations = [new Toleration { Key = "nvidia.com/gpu", Operator = "Exists", Effect = "NoSchedule" }] }, new StorageSpec { Uri = "s3://models/x" } },
        { "eval", new Resources { NodeSelector = new Dictionary<string, string> { ["pool"] = "cpu" }, PriorityClassName = "batch" }, new StorageSpec { Uri = "s3://models/x", SecretName = "s3-creds" } },
    };

    [Theory]
    [MemberData(nameof(RenderedPods))]
    public void Every_trainer_pod_the_operator_renders_is_admitted_as_restricted(string command, Resources resources, StorageSpec storage) =>
        Assert.Empty(PodSecurityRestricted.Violations(TrainerPod(command, resources, storage)));

    [Fact]
    public void The_charts_operator_pod_is_admitted_as_restricted() =>
        Assert.Empty(PodSecurityRestricted.Violations(RenderedChart.Render().Single("Deployment")["spec"]!["template"]!["spec"]!));

    /// <summary>Each rule of the profile, broken once on an otherwise compliant pod: the check names it.</summary>
    [Theory]
    [InlineData("hostNetwork", "spec.hostNetwork")]
    [InlineData("hostPID", "spec.hostPID")]
    [InlineData("hostIPC", "spec.hostIPC")]
    [InlineData("hostPath", "hostPath volumes are forbidden")]
    [InlineData("nfs", "type nfs is not allowed")]
    [InlineData("privileged", "securityContext.privileged")]
    [InlineData("allowPrivilegeEscalation", "allowPrivilegeEscalation must be false")]
    [InlineData("runAsNonRoot", "runAsNonRoot must be true")]
    [InlineData("runAsRoot", "runAsUser must not be 0")]
    [InlineData("seccompUnconfined", "seccompProfile.type must be RuntimeDefault or Localhost")]
    [InlineData("seccompMissing", "seccompProfile.type must be RuntimeDefault or Localhost")]
    [InlineData("capabilitiesKept", "capabilities.drop must contain ALL")]
    [InlineData("capabilityAdded", "capabilities.add may only contain NET_BIND_SERVICE")]
    [InlineData("hostPort", "hostPort must be unset or 0")]
    [InlineData("sysctl", "is not a safe sysctl")]
    public void A_pod_breaking_one_rule_is_reported_with_the_field(string breach, string expected)
    {
        var pod = TrainerPod("grpo", new Resources(), new StorageSpec { Uri = "s3://models/x" });
        var container = pod["containers"]![0]!;
        switch (breach)
        {
            case "hostNetwork" or "hostPID" or "hostIPC": pod[breach] = true; break;
            case "hostPath": pod["volumes"]!.AsArray().Add(new JsonObject { ["name"] = "root", ["hostPath"] = new JsonObject { ["path"] = "/" } }); break;
            case "nfs": pod["volumes"]!.AsArray().Add(new JsonObject { ["name"] = "share", ["nfs"] = new JsonObject { ["server"] = "nas", ["path"] = "/" } }); break;
            case "privileged": container["securityContext"]!["privileged"] = true; break;
            case "allowPrivilegeEscalation": container["securityContext"]!.AsObject().Remove("allowPrivilegeEscalation"); break;
            case "runAsNonRoot": pod["securityContext"]!.AsObject().Remove("runAsNonRoot"); break;
            case "runAsRoot": container["securityContext"]!["runAsUser"] = 0; break;
            case "seccompUnconfined": pod["securityContext"]!["seccompProfile"] = new JsonObject { ["type"] = "Unconfined" }; break;
            case "seccompMissing": pod["securityContext"]!.AsObject().Remove("seccompProfile"); break;
            case "capabilitiesKept": container["securityContext"]!.AsObject().Remove("capabilities"); break;
            case "capabilityAdded": container["securityContext"]!["capabilities"]!["add"] = new JsonArray("SYS_ADMIN"); break;
            case "hostPort": container["ports"] = new JsonArray(new JsonObject { ["containerPort"] = 8080, ["hostPort"] = 8080 }); break;
            case "sysctl": pod["securityContext"]!["sysctls"] = new JsonArray(new JsonObject { ["name"] = "kernel.msgmax", ["value"] = "1" }); break;
        }
        Assert.Contains(PodSecurityRestricted.Violations(pod), v => v.Contains(expected, StringComparison.Ordinal));
    }
}
