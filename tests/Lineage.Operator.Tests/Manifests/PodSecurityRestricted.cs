using System.Text.Json.Nodes;

namespace Lineage.Operator.Tests.Manifests;

/// <summary>
/// The Pod Security Standards' <c>restricted</c> profile (which includes <c>baseline</c>), as the PodSecurity admission
/// controller checks a pod spec (kubernetes.io/docs/concepts/security/pod-security-standards). Returns every violation,
/// each naming the field; none means the pod is admitted in a namespace labelled
/// <c>pod-security.kubernetes.io/enforce: restricted</c>.
/// </summary>
static class PodSecurityRestricted
{
    static readonly HashSet<string> AllowedVolumeTypes =
        ["configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret"];
    static readonly HashSet<string> SafeSysctls =
        ["kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range", "net.ipv4.ip_unprivileged_port_start", "net.ipv4.tcp_syncookies", "net.ipv4.ping_group_range",
         "net.ipv4.ip_local_reserved_ports", "net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout", "net.ipv4.tcp_keepalive_intvl", "net.ipv4.tcp_keepalive_probes"];

    public static IReadOnlyList<string> Violations(JsonNode podSpec)
    {
        var found = new List<string>();
        void Check(bool ok, string message) { if (!ok) found.Add(message); }

        // baseline: host namespaces, host paths, host ports, privileged, capabilities, /proc, seccomp, sysctls.
        foreach (var field in new[] { "hostNetwork", "hostPID", "hostIPC" })
            Check(podSpec[field] is null || !(bool)podSpec[field]!, $"spec.{field} must be unset or false");
        var pod = podSpec["securityContext"];
        foreach (var volume in podSpec["volumes"]?.AsArray() ?? [])
        {
            var type = volume!.AsObject().Select(kv => kv.Key).Single(k => k != "name");
            Check(type != "hostPath", $"volume {volume["name"]}: hostPath volumes are forbidden");
            Check(AllowedVolumeTypes.Contains(type), $"volume {volume["name"]}: type {type} is not allowed (restricted allows {string.Join(", ", AllowedVolumeTypes)})");
        }
        foreach (var sysctl in pod?["sysctls"]?.AsArray() ?? [])
            Check(SafeSysctls.Contains((string)sysctl!["name"]!), $"spec.securityContext.sysctls: {sysctl["name"]} is not a safe sysctl");
        Check(SeccompAllowed(pod?["seccompProfile"], required: false), "spec.securityContext.seccompProfile.type must be RuntimeDefault or Localhost");
        Check(pod?["seLinuxOptions"]?["user"] is null && pod?["seLinuxOptions"]?["role"] is null, "spec.securityContext.seLinuxOptions: user and role must be unset");

        var containers = new[] { "initContainers", "containers", "ephemeralContainers" }
            .SelectMany(list => (podSpec[list]?.AsArray() ?? []).Select(c => (Path: $"{list}[{c!["name"]}]", Container: c)));
        foreach (var (path, container) in containers)
        {
            var sc = container["securityContext"];
            Check(sc?["privileged"] is null || !(bool)sc["privileged"]!, $"{path}.securityContext.privileged must be unset or false");
            foreach (var port in container["ports"]?.AsArray() ?? [])
                Check(port!["hostPort"] is null || Number(port["hostPort"]) == 0, $"{path}.ports: hostPort must be unset or 0");
            Check(sc?["procMount"] is null || (string?)sc["procMount"] == "Default", $"{path}.securityContext.procMount must be Default");
            Check(sc?["seLinuxOptions"]?["user"] is null && sc?["seLinuxOptions"]?["role"] is null, $"{path}.securityContext.seLinuxOptions: user and role must be unset");

            // restricted
            Check(sc?["allowPrivilegeEscalation"] is { } ape && !(bool)ape, $"{path}.securityContext.allowPrivilegeEscalation must be false");
            var nonRoot = sc?["runAsNonRoot"] ?? pod?["runAsNonRoot"];
            Check(nonRoot is not null && (bool)nonRoot, $"{path}: runAsNonRoot must be true (container or pod securityContext)");
            var user = sc?["runAsUser"] ?? pod?["runAsUser"];
            Check(user is null || Number(user) != 0, $"{path}: runAsUser must not be 0");
            Check(SeccompAllowed(sc?["seccompProfile"] ?? pod?["seccompProfile"], required: true),
                $"{path}: seccompProfile.type must be RuntimeDefault or Localhost (container or pod securityContext)");
            var drop = sc?["capabilities"]?["drop"]?.AsArray().Select(d => (string)d!) ?? [];
            Check(drop.Contains("ALL"), $"{path}.securityContext.capabilities.drop must contain ALL");
            var add = sc?["capabilities"]?["add"]?.AsArray().Select(a => (string)a!) ?? [];
            Check(add.All(a => a == "NET_BIND_SERVICE"), $"{path}.securityContext.capabilities.add may only contain NET_BIND_SERVICE");
        }
        return found;
    }

    static long Number(JsonNode? value) => long.Parse(value!.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture);

    static bool SeccompAllowed(JsonNode? profile, bool required) =>
        profile is null ? !required : (string?)profile["type"] is "RuntimeDefault" or "Localhost";
}
