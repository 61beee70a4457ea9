using System.Reflection;
using System.Runtime.Loader;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using k8s;
using k8s.Exceptions;
using Lineage.Operator.Hosting;

namespace Lineage.Operator.Tests.Hosting;

/// <summary>Measures allocations of the whole process, so nothing else may run meanwhile.</summary>
[CollectionDefinition(nameof(AloneInProcess), DisableParallelization = true)]
public sealed class AloneInProcess;

[Collection(nameof(AloneInProcess))]
public sealed class KubeconfigFileTests : IDisposable
{
    readonly DirectoryInfo dir = Directory.CreateTempSubdirectory("lineage-kubeconfig");

    public void Dispose() => dir.Delete(recursive: true);

    static string Pem(X509Certificate2 cert) => cert.ExportCertificatePem();

    static X509Certificate2 SelfSigned(string name, out string keyPem)
    {
        using var key = RSA.Create(2048);
        keyPem = key.ExportPkcs8PrivateKeyPem();
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
    }

    static string B64(string text) => Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes(text));

    string Write(string name, string text)
    {
        var path = Path.Combine(dir.FullName, name);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>What a client takes from its configuration.</summary>
    static string Seen(KubernetesClientConfiguration c) => string.Join("\n",
        $"host={c.Host}", $"context={c.CurrentContext}", $"namespace={c.Namespace}", $"token={c.AccessToken}", $"user={c.Username}", $"password={c.Password}",
        $"skipTls={c.SkipTlsVerify}", $"tlsServerName={c.TlsServerName}", $"ca={string.Join(",", c.SslCaCerts?.Select(x => x.Thumbprint) ?? [])}",
        $"clientCert={c.ClientCertificateData}", $"clientKey={c.ClientCertificateKeyData}", $"clientCertFile={c.ClientCertificateFilePath}",
        $"clientKeyFile={c.ClientKeyFilePath}", $"tokenProvider={c.TokenProvider?.GetType().Name}");

    [Fact]
    public void Reads_a_kubeconfig_as_the_clients_own_loader_does()
    {
        using var ca = SelfSigned("lineage-ca", out _);
        using var client = SelfSigned("lineage-operator", out var clientKey);
        Write("ca.crt", Pem(ca));
        // An exec plugin (run while the config is read): its token tells the arguments and environment it was given.
        var plugin = Write("get-token", """
            #!/bin/sh
            echo "{\"apiVersion\": \"client.authentication.k8s.io/v1\", \"kind\": \"ExecCredential\", \"status\": {\"token\": \"tok-$REGION-$2\"}}"
            """);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(plugin, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var path = Write("config", $$"""
            apiVersion: v1
            kind: Config
            preferences: {}
            clusters:
            - name: plain
              cluster:
                server: http://127.0.0.1:8080
            - name: secure
              cluster:
                server: https://10.0.0.1:6443
                certificate-authority-data: {{B64(Pem(ca))}}
                tls-server-name: kubernetes.default
            - name: ca-file
              cluster:
                server: https://10.0.0.2:6443
                certificate-authority: ca.crt
            - name: insecure
              cluster:
                server: https://10.0.0.3:6443
                insecure-skip-tls-verify: true
            users:
            - name: token
              user:
                token: abc.def
            - name: certificate
              user:
                client-certificate-data: {{B64(Pem(client))}}
                client-key-data: {{B64(clientKey)}}
            - name: basic
              user:
                username: admin
                password: s3cret
            - name: exec
              user:
                exec:
                  apiVersion: client.authentication.k8s.io/v1
                  command: {{plugin}}
                  args: [--cluster, lab]
                  env:
                  - name: REGION
                    value: eu
            contexts:
            - name: plain
              context: {cluster: plain, user: token, namespace: ml}
            - name: secure
              context: {cluster: secure, user: certificate}
            - name: ca-file
              context: {cluster: ca-file, user: basic, namespace: team-a}
            - name: insecure
              context: {cluster: insecure, user: exec}
            current-context: secure
            """);
        // The current context, then every other one through a copy that names it current.
        foreach (var context in new[] { "secure", "plain", "ca-file", "insecure" })
        {
            var file = context == "secure" ? path : Write($"config-{context}", File.ReadAllText(path).Replace("current-context: secure", $"current-context: {context}"));
            var expected = Seen(KubernetesClientConfiguration.BuildConfigFromConfigFile(file));
            Assert.Equal(expected, Seen(KubeconfigFile.Load(file)));
            Assert.Contains($"context={context}", expected);
            if (context == "insecure") Assert.Contains("token=tok-eu-lab", expected);
        }
    }

    [Fact]
    public void A_kubeconfig_in_json_reads_the_same()
    {
        var path = Write("config.json", """
            {"apiVersion": "v1", "kind": "Config", "current-context": "c",
             "clusters": [{"name": "k", "cluster": {"server": "http://127.0.0.1:9000"}}],
             "users": [{"name": "u", "user": {"token": "t0ken"}}],
             "contexts": [{"name": "c", "context": {"cluster": "k", "user": "u", "namespace": "ml"}}]}
            """);
        Assert.Equal(Seen(KubernetesClientConfiguration.BuildConfigFromConfigFile(path)), Seen(KubeconfigFile.Load(path)));
        Assert.Equal("t0ken", KubeconfigFile.Load(path).AccessToken);
    }

    [Fact]
    public void A_broken_or_missing_kubeconfig_is_refused_naming_the_file()
    {
        var broken = Write("broken", "clusters: [unclosed");
        Assert.Contains(broken, Assert.Throws<KubeConfigException>(() => KubeconfigFile.Load(broken)).Message);
        var missing = Path.Combine(dir.FullName, "absent");
        Assert.Contains(missing, Assert.Throws<FileNotFoundException>(() => KubeconfigFile.Load(missing)).Message);
        var noContext = Write("no-context", "apiVersion: v1\nkind: Config\ncurrent-context: gone\n");
        Assert.Contains("gone", Assert.Throws<KubeConfigException>(() => KubeconfigFile.Load(noContext)).Message);
    }

    /// <summary>
    /// KubernetesClient's loader goes through KubernetesYaml, whose first use builds a serializer for every API model (~25 MB
    /// allocated, ~6 MB kept for the process's life). Measured in a fresh load context, so no earlier test has built it already.
    /// </summary>
    [Fact]
    public void Reading_a_kubeconfig_builds_no_serializer_for_the_API_models()
    {
        var path = Write("config", """
            apiVersion: v1
            kind: Config
            clusters: [{name: k, cluster: {server: "http://127.0.0.1:9000"}}]
            users: [{name: u, user: {token: t}}]
            contexts: [{name: c, context: {cluster: k, user: u}}]
            current-context: c
            """);
        var fresh = new FreshContext();
        var load = fresh.LoadFromAssemblyName(typeof(KubeconfigFile).Assembly.GetName()).GetType(typeof(KubeconfigFile).FullName!)!
            .GetMethod(nameof(KubeconfigFile.Load))!;
        Assert.NotSame(typeof(KubeconfigFile), load.DeclaringType);
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var config = load.Invoke(null, [path]);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        Assert.Equal("http://127.0.0.1:9000", config!.GetType().GetProperty("Host")!.GetValue(config));
        Assert.True(allocated < 5_000_000, $"reading a kubeconfig allocated {allocated:N0} bytes");
    }

    /// <summary>The operator and its packages loaded anew (fresh statics); the framework is shared.</summary>
    sealed class FreshContext() : AssemblyLoadContext("fresh", isCollectible: true)
    {
        protected override Assembly? Load(AssemblyName name)
        {
            var file = Path.Combine(AppContext.BaseDirectory, name.Name + ".dll");
            return File.Exists(file) ? LoadFromAssemblyPath(file) : null;
        }
    }
}
