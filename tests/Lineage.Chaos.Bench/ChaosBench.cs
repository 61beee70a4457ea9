using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using k8s;
using Lineage.Contracts.Store;
using Lineage.Operator.Api.V1Alpha1;
using Lineage.Operator.Local;
using Lineage.Operator.Runtime;
using Lineage.Store;
using Lineage.Store.Publication;
using StoreKeys = Lineage.Chaos.Bench.StoreKeys;
using Lineage.Store.S3;
using Lineage.Store.Tests.Support;

namespace Lineage.Chaos.Bench;

/// <summary>
/// The data-plane chaos run: a reference lineage alone without faults, then waves of faulted lineages for the given
/// duration while trainers are killed (mid-step, mid-checkpoint-upload), the S3 server is stopped mid-upload and started
/// again, and bytes are flipped in published checkpoints and models; then every lineage is drained and the invariants
/// are checked and printed with their counts. Exit 0 only when none was violated.
/// </summary>
public sealed class ChaosBench(ChaosOptions options) : IAsyncDisposable
{
    const string Bucket = S3rverServer.Bucket;
    readonly Random random = new(options.Seed);
    readonly Tally tally = new();
    readonly string work = options.Output is { } o ? Directory.CreateDirectory(o).FullName : Directory.CreateTempSubdirectory("lineage-chaos-").FullName;
    readonly ConcurrentDictionary<string, int> podFaults = new();            // training Job → pod-failing faults so far
    readonly ConcurrentDictionary<string, byte> corrupted = new();            // store keys (under the prefix) we flipped a byte in
    readonly List<CheckpointFlip> checkpointFlips = [];
    readonly List<ModelFlip> modelFlips = [];
    readonly List<ChaosLineage> lineages = [];
    readonly ConcurrentDictionary<(string Source, string Uri), byte> namesChecked = new();
    readonly object gate = new();
    readonly Stopwatch clock = Stopwatch.StartNew();

    S3rverServer s3 = null!;
    S3Proxy proxy = null!;
    Process local = null!;
    Kubernetes client = null!;
    S3Store store = null!;
    TrainerProcesses trainers = null!;
    Armed? armed;
    Task s3Restart = Task.CompletedTask;
    volatile bool injecting;
    Snapshot snapshot = Snapshot.Empty;

    string Cluster => Path.Combine(work, "cluster");

    public async Task<int> RunAsync()
    {
        Say($"work folder {work}; seed {options.Seed}; {options.DurationMinutes} min of faults; {options.Concurrency} lineages at once");
        await StartAsync();
        using var stop = new CancellationTokenSource();
        var sampler = Task.Run(() => SampleNamesAsync(stop.Token));
        try
        {
            // 1. The reference: the same spec, alone, no faults.
            var reference = await StartLineageAsync("ref", LineageRole.Reference);
            await WaitStoppedAsync([reference], TimeSpan.FromMinutes(20));
            Say($"reference done in {reference.Finished - reference.Started:mm\\:ss}");

            // 2. Faults for the duration, new lineages started as others finish.
            injecting = true;
            var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(options.DurationMinutes);
            var nextFault = DateTime.UtcNow + Gap();
            int started = 0;
            while (DateTime.UtcNow < deadline)
            {
                await RefreshAsync(stop.Token);
                foreach (var l in Active()) if (Stopped(l.Name)) l.Finished = DateTime.UtcNow;
                while (Active().Count(l => l.Role != LineageRole.Reference) < options.Concurrency)
                {
                    started++;
                    bool corrupt = started % options.CorruptModelEvery == 0;
                    await StartLineageAsync($"l{started:D3}", corrupt ? LineageRole.CorruptModel : LineageRole.Faulted, corrupt ? random.Next(2) : -1);
                }
                await Attempt("model flip", FlipModelsAsync);
                if (armed is { } a && DateTime.UtcNow - a.Since > TimeSpan.FromSeconds(60) && Interlocked.CompareExchange(ref armed, null, a) == a)
                    tally.Note($"armed {a.Fault} expired (no matching upload within 60 s)");
                if (DateTime.UtcNow >= nextFault && armed is null)
                {
                    await Attempt("fault", InjectAsync);
                    nextFault = DateTime.UtcNow + Gap();
                }
                await Task.Delay(200);
            }

            // 3. Drain: no new faults, every lineage to its end.
            injecting = false;
            armed = null;
            await s3Restart;
            Say($"faults stopped after {clock.Elapsed:hh\\:mm\\:ss}: {tally.Faults} injected; draining {Active().Count} lineages");
            await WaitStoppedAsync(lineages, TimeSpan.FromMinutes(30));
            await Task.Delay(2000);
            stop.Cancel();
            await sampler;

            // 4. Invariants.
            try { await CheckAsync(); }
            catch (Exception e) { tally.Check("the invariant checks themselves completed", false, e.ToString()); }
        }
        catch (TimeoutException e)
        {
            tally.Check("every lineage reached the end its plan says", false, e.Message);
        }
        finally
        {
            stop.Cancel();
        }
        Say($"{lineages.Count} lineages ({lineages.Count(l => l.Role == LineageRole.CorruptModel)} with a corrupted model), " +
            $"{tally.Faults} faults, {proxy.Requests} S3 requests through the proxy, {clock.Elapsed:hh\\:mm\\:ss} in all");
        tally.Print(Console.Out);
        await File.WriteAllTextAsync(Path.Combine(work, "result.json"), JsonSerializer.Serialize(new
        {
            options,
            faults = tally.FaultCounts.Select(f => new { f.Key.Fault, f.Key.Where, Count = f.Value }),
            checks = tally.Checks.Select(c => new { Invariant = c.Key, c.Value.Checked, c.Value.Violated }),
            lineages = lineages.Count,
            elapsedSeconds = clock.Elapsed.TotalSeconds,
        }, new JsonSerializerOptions { WriteIndented = true }));
        Console.WriteLine(tally.Violations == 0 ? "all invariants held" : $"{tally.Violations} violations");
        return tally.Violations == 0 ? 0 : 1;
    }

    // ---- setup ----

    async Task StartAsync()
    {
        s3 = new S3rverServer();
        proxy = new S3Proxy(s3.Port) { MidBody = OnPutAsync };
        proxy.Start();
        store = new S3Store(s3.Settings, Bucket, ChaosLineage.StorePrefix);
        trainers = new TrainerProcesses(Cluster, ChaosLineage.Namespace);
        var root = S3rverServer.RepositoryRoot();
        string Built(params string[] parts) => Path.Combine([root, .. parts]) is var p && File.Exists(p) ? p : throw new FileNotFoundException($"not built: {p}");
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, Environment = { ["OUT"] = Path.Combine(work, "local.out") } };
        foreach (var arg in new[] { "-c", "exec \"$@\" >\"$OUT\" 2>&1", "sh", "dotnet",
                     Built("operator", "Lineage.Operator", "bin", "Release", "net10.0", "lineage-operator.dll"), "local", "--data", Cluster,
                     "--trainer", Built("trainer-image", "Lineage.Trainer.Cli", "bin", "Release", "net10.0", "lineage-trainer.dll"),
                     "--cpus", options.Cpus.ToString(System.Globalization.CultureInfo.InvariantCulture) })
            start.ArgumentList.Add(arg);
        local = Process.Start(start)!;
        var kubeconfig = Path.Combine(Cluster, "kubeconfig");
        var until = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (true)
        {
            if (local.HasExited) throw new InvalidOperationException($"lineage-operator local exited {local.ExitCode}; see {work}/local.out");
            if (File.Exists(kubeconfig))
            {
                client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig));
                try { await client.CoreV1.ListNamespaceAsync(); break; }
                catch (HttpRequestException) { client.Dispose(); }
            }
            if (DateTime.UtcNow > until) throw new TimeoutException("local mode's API server did not answer within 2 min");
            await Task.Delay(250);
        }
        await ApplyAsync("namespace.yaml", ChaosLineage.NamespaceManifest());
        Say($"s3rver on {s3.Port}, proxy on {proxy.Port}, local mode pid {local.Id} ({Cluster})");
    }

    async Task ApplyAsync(string file, string yaml)
    {
        var path = Path.Combine(work, file);
        await File.WriteAllTextAsync(path, yaml);
        await new ManifestApplier(client).ApplyAsync(path, CancellationToken.None);
    }

    async Task<ChaosLineage> StartLineageAsync(string name, LineageRole role, int corruptGeneration = -1)
    {
        var lineage = new ChaosLineage(name, role, corruptGeneration) { Started = DateTime.UtcNow };
        lock (gate) lineages.Add(lineage);
        await ApplyAsync($"lineage-{name}.yaml", lineage.Manifest(Bucket, proxy.Port));
        Say($"started {name} ({role}{(corruptGeneration >= 0 ? $", model of generation {corruptGeneration} to be corrupted" : "")})");
        return lineage;
    }

    List<ChaosLineage> Active() { lock (gate) return lineages.Where(l => l.Finished is null).ToList(); }

    bool Stopped(string lineage) => snapshot.Lineages.TryGetValue(lineage, out var l) && LineagePhases.IsStopped(l.Status?.Phase);

    async Task WaitStoppedAsync(IReadOnlyList<ChaosLineage> which, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (true)
        {
            await RefreshAsync(CancellationToken.None);
            // A planned model corruption is part of its lineage's plan, not a random fault: it still happens while draining.
            await Attempt("model flip", FlipModelsAsync);
            foreach (var l in which) if (l.Finished is null && Stopped(l.Name)) l.Finished = DateTime.UtcNow;
            if (which.All(l => l.Finished is not null)) return;
            if (local.HasExited) throw new TimeoutException($"lineage-operator local exited {local.ExitCode}");
            if (DateTime.UtcNow > until)
                throw new TimeoutException($"not stopped within {timeout}: {string.Join(", ", which.Where(l => l.Finished is null).Select(l => l.Name))}");
            await Task.Delay(1000);
        }
    }

    async Task RefreshAsync(CancellationToken ct)
    {
        try
        {
            var lins = await new ResourceClient<LineageResource>(client).ListAsync(ChaosLineage.Namespace, null, ct);
            var gens = await new ResourceClient<Generation>(client).ListAsync(ChaosLineage.Namespace, null, ct);
            var grpo = await new ResourceClient<GrpoRun>(client).ListAsync(ChaosLineage.Namespace, null, ct);
            var distill = await new ResourceClient<Distillation>(client).ListAsync(ChaosLineage.Namespace, null, ct);
            snapshot = new Snapshot(lins.ToDictionary(l => l.Metadata.Name), gens.ToDictionary(g => g.Metadata.Name),
                grpo.Select(r => (r.Metadata.Name, r.Status as RunStatus)).Concat(distill.Select(r => (r.Metadata.Name, r.Status as RunStatus))).ToList());
        }
        catch (HttpRequestException) { }
    }

    // ---- faults ----

    /// <summary>A fault attempt that failed (e.g. the store was down on purpose) is counted and the run goes on.</summary>
    async Task Attempt(string what, Func<Task> action)
    {
        try { await action(); }
        catch (Exception e) { tally.Note($"{what} attempt failed: {e.GetType().Name}"); Say($"{what} attempt failed: {e.Message}"); }
    }

    TimeSpan Gap() => TimeSpan.FromSeconds(-Math.Log(1 - random.NextDouble()) * options.FaultIntervalSeconds);

    /// <summary>A fault that waits for an upload in flight at the proxy.</summary>
    sealed record Armed(string Fault, DateTime Since, Func<ProxiedRequest, bool> Matches, Func<ProxiedRequest, Task> Fire);

    async Task InjectAsync()
    {
        int pick = random.Next(options.Weights.Values.Sum());
        var fault = options.Weights.First(w => (pick -= w.Value) < 0).Key;
        switch (fault)
        {
            case "kill-step": KillMidStep(); break;
            case "kill-upload": ArmKillMidUpload(); break;
            case "s3-restart": ArmS3RestartMidUpload(); break;
            default: await FlipCheckpointAsync(); break;
        }
    }

    /// <summary>The generation, lineage and training Job a store key belongs to (chaos/&lt;lineage&gt;/&lt;generation&gt;/…).</summary>
    static (string Lineage, string Generation, string Tail)? KeyParts(string path)
    {
        var parts = path.TrimStart('/').Split('/', 5);
        return parts.Length == 5 && parts[0] == Bucket && parts[1] == ChaosLineage.StorePrefix ? (parts[2], parts[3], parts[4]) : null;
    }

    bool Faultable(string job) =>
        job.EndsWith("-train", StringComparison.Ordinal) && podFaults.GetValueOrDefault(job) < options.KillsPerJob
        && snapshot.Generations.TryGetValue(job[..^"-train".Length], out var g) && g.Spec.Lineage != "ref";

    TrainerProcess? RunningTrainer(string job) => trainers.List().FirstOrDefault(p => p.Job == job);

    void KillMidStep()
    {
        var candidates = trainers.List().Where(p => Faultable(p.Job))
            .Select(p => (Process: p, Step: TrainerProcesses.LastStep(trainers.Log(p.Pod)))).Where(c => c.Step >= 1).ToList();
        if (candidates.Count == 0) { tally.Note("kill mid-step: no trainer in its training loop at the time"); return; }
        var (process, step) = candidates[random.Next(candidates.Count)];
        podFaults.AddOrUpdate(process.Job, 1, (_, n) => n + 1);
        if (!TrainerProcesses.Signal(process.Pid, "KILL")) { tally.Note("kill mid-step: the trainer exited first"); return; }
        tally.Fault("trainer SIGKILL mid-step", "lineage-trainer process of a training Job, after its log showed step ≥ 1");
        Say($"SIGKILL {process.Pod} at step {step}");
    }

    void ArmKillMidUpload()
    {
        armed = new Armed("kill mid-upload", DateTime.UtcNow,
            r => r.Method == "PUT" && KeyParts(r.Path) is { } k && k.Tail.StartsWith("checkpoints/step-", StringComparison.Ordinal) && Faultable(k.Generation + "-train"),
            r =>
            {
                var k = KeyParts(r.Path)!.Value;
                var job = k.Generation + "-train";
                if (RunningTrainer(job) is not { } process) { tally.Note("kill mid-upload: the uploading trainer was gone"); return Task.CompletedTask; }
                podFaults.AddOrUpdate(job, 1, (_, n) => n + 1);
                if (!TrainerProcesses.Signal(process.Pid, "KILL")) { tally.Note("kill mid-upload: the uploading trainer was gone"); return Task.CompletedTask; }
                tally.Fault("trainer SIGKILL mid-checkpoint-upload", "lineage-trainer, while half of a checkpoint file's PUT had reached S3 (seen at the proxy)");
                Say($"SIGKILL {process.Pod} halfway through PUT {r.Path} ({r.ContentLength} bytes)");
                return Task.CompletedTask;
            });
    }

    void ArmS3RestartMidUpload()
    {
        if (!s3Restart.IsCompleted) return;
        armed = new Armed("S3 restart mid-upload", DateTime.UtcNow,
            r => r.Method == "PUT" && KeyParts(r.Path) is { } k && (k.Tail.StartsWith("checkpoints/step-", StringComparison.Ordinal) || k.Tail.StartsWith("model/", StringComparison.Ordinal)),
            r =>
            {
                var down = TimeSpan.FromSeconds(1 + random.NextDouble() * 4);
                s3.Stop();
                tally.Fault("S3 server stopped mid-upload, started again 1–5 s later (same data)", "the s3rver process, while half of a checkpoint or model PUT had reached it");
                Say($"s3rver stopped halfway through PUT {r.Path}; down for {down.TotalSeconds:F1} s");
                s3Restart = Task.Run(async () => { await Task.Delay(down); s3.Start(); });
                return Task.CompletedTask;
            });
    }

    async Task OnPutAsync(ProxiedRequest request)
    {
        if (armed is not { } a || !injecting || !a.Matches(request)) return;
        if (Interlocked.CompareExchange(ref armed, null, a) != a) return;
        await a.Fire(request);
    }

    sealed record CheckpointFlip(string Job, string Key, long Step, DateTime At);
    sealed record ModelFlip(string Lineage, string Generation, int Number, string Key, DateTime At);

    /// <summary>Freezes a training pod, flips a byte in its newest published checkpoint, then SIGKILLs it: its next pod must refuse that checkpoint.</summary>
    async Task FlipCheckpointAsync()
    {
        var candidates = trainers.List().Where(p => Faultable(p.Job) && TrainerProcesses.LastStep(trainers.Log(p.Pod)) >= 1).ToList();
        if (candidates.Count == 0) { tally.Note("checkpoint flip: no trainer in its training loop at the time"); return; }
        var process = candidates[random.Next(candidates.Count)];
        var generation = process.Job[..^"-train".Length];
        var lineage = snapshot.Generations[generation].Spec.Lineage;
        if (!TrainerProcesses.Signal(process.Pid, "STOP")) { tally.Note("checkpoint flip: the trainer exited first"); return; }
        try
        {
            await s3Restart;
            var latest = await store.LatestCheckpointAsync(new StoreLayout(lineage, generation), CancellationToken.None);
            if (latest is null) { tally.Note("checkpoint flip: no published checkpoint yet"); TrainerProcesses.Signal(process.Pid, "CONT"); return; }
            var file = latest.Manifest.Files.FirstOrDefault(f => f.Path == "model.safetensors") ?? latest.Manifest.Files[random.Next(latest.Manifest.Files.Count)];
            var key = StoreKeys.Join(latest.Prefix, file.Path);
            await FlipByteAsync(key);
            lock (gate) checkpointFlips.Add(new CheckpointFlip(process.Job, key, latest.Step, DateTime.UtcNow));
            podFaults.AddOrUpdate(process.Job, 1, (_, n) => n + 1);
            TrainerProcesses.Signal(process.Pid, "KILL");
            tally.Fault("byte flipped in a published checkpoint (then its trainer SIGKILLed)", "the newest checkpoint with a manifest of a running training Job, in the store");
            Say($"flipped a byte of {key} (step {latest.Step}) and killed {process.Pod}");
        }
        catch
        {
            TrainerProcesses.Signal(process.Pid, "CONT");
            throw;
        }
    }

    /// <summary>Flips one byte of each planned generation's published model as soon as its manifest is there.</summary>
    async Task FlipModelsAsync()
    {
        foreach (var l in Active().Where(l => l.Role == LineageRole.CorruptModel))
        {
            lock (gate) if (modelFlips.Any(f => f.Lineage == l.Name)) continue;
            var gen = snapshot.Generations.Values.FirstOrDefault(g => g.Spec.Lineage == l.Name
                && g.Metadata.Name == $"{l.Name}-{l.CorruptGeneration}");
            if (gen is null || !s3Restart.IsCompleted) continue;
            var layout = new StoreLayout(l.Name, gen.Metadata.Name);
            PublishedArtifact? model;
            try { model = await store.ReadAsync(layout.Model, CancellationToken.None); }
            catch (ArtifactStoreException) { continue; }
            if (model is null) continue;
            var key = StoreKeys.Join(layout.Model, "model.safetensors");
            await FlipByteAsync(key);
            lock (gate) modelFlips.Add(new ModelFlip(l.Name, gen.Metadata.Name, l.CorruptGeneration, key, DateTime.UtcNow));
            tally.Fault("byte flipped in a published model", "model.safetensors of generation 0 or 1, right after its manifest appeared");
            Say($"flipped a byte of {key}");
        }
    }

    async Task FlipByteAsync(string key)
    {
        byte[] bytes;
        await using (var stream = await store.OpenReadAsync(key, CancellationToken.None) ?? throw new InvalidOperationException($"{key}: gone"))
        using (var memory = new MemoryStream())
        {
            await stream.CopyToAsync(memory);
            bytes = memory.ToArray();
        }
        int at = random.Next(bytes.Length);
        bytes[at] ^= (byte)(1 << random.Next(8));
        corrupted[key] = 0;
        await store.WriteAsync(key, new MemoryStream(bytes), CancellationToken.None);
    }

    // ---- invariant: a checkpoint named by progress.json or a status is complete ----

    async Task SampleNamesAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                var snap = snapshot;
                var named = new List<(string Source, Func<Task<string?>> Read)>();
                foreach (var (run, status) in snap.Runs)
                    if (status?.LastCheckpoint is { } uri)
                        named.Add(($"status of {run}", async () => (await ReadRunStatusAsync(run))?.LastCheckpoint));
                foreach (var g in snap.Generations.Values.Where(g => g.Status?.Phase == GenerationPhases.Training))
                {
                    var key = new StoreLayout(g.Spec.Lineage, g.Metadata.Name).Progress;
                    named.Add(($"progress.json of {g.Metadata.Name}", async () => await ReadProgressAsync(key)));
                }
                foreach (var (source, read) in named)
                {
                    var uri = await read();
                    if (uri is null || !namesChecked.TryAdd((source, uri), 0)) continue;
                    await CheckNamedAsync(source, uri, read);
                }
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                // A read that failed is a sample not taken (the S3 server may be down on purpose), not a verdict.
                tally.Note($"samples not taken: {e.GetType().Name}");
            }
            try { await Task.Delay(500, ct); } catch (OperationCanceledException) { return; }
        }
    }

    async Task<RunStatus?> ReadRunStatusAsync(string run)
    {
        var key = new ObjectKey(ChaosLineage.Namespace, run);
        return (RunStatus?)(await new ResourceClient<GrpoRun>(client).GetAsync(key, default))?.Status
            ?? (await new ResourceClient<Distillation>(client).GetAsync(key, default))?.Status;
    }

    async Task<string?> ReadProgressAsync(string key)
    {
        var bytes = await store.ReadSmallAsync(key, 1 << 20, CancellationToken.None);
        return bytes is null ? null : JsonSerializer.Deserialize<Progress>(bytes)?.LastCheckpoint;
    }

    async Task CheckNamedAsync(string source, string uri, Func<Task<string?>> read)
    {
        const string invariant = "every checkpoint named by progress.json or a run's status had a complete manifest (sampled twice a second)";
        var root = $"s3://{Bucket}/{ChaosLineage.StorePrefix}/";
        if (!tally.Check(invariant, uri.StartsWith(root, StringComparison.Ordinal), $"{source} names '{uri}', not a checkpoint in the store")) return;
        var prefix = uri[root.Length..];
        for (int attempt = 0; ; attempt++)
        {
            var objects = await store.ListAsync(prefix + "/", CancellationToken.None);
            if (objects.Count == 0) { tally.Note("named checkpoint already pruned when sampled"); return; }
            PublishedArtifact? artifact;
            try { artifact = await store.ReadAsync(prefix, CancellationToken.None); }
            catch (InvalidDataException) { artifact = null; }
            if (artifact is null)
            {
                // Being pruned or republished right now, or named while half-written: look again; still named and still
                // without a manifest while its files are there is a violation.
                if (attempt < 3) { await Task.Delay(700); if (await read() != uri) { tally.Note("named checkpoint replaced while being checked"); return; } continue; }
                tally.Check(invariant, false, $"{source} names {uri}, which has {objects.Count} objects and no manifest");
                return;
            }
            var sizes = objects.ToDictionary(o => o.Key[(prefix.Length + 1)..], o => o.Size);
            var bad = artifact.Manifest.Files.Where(f => !sizes.TryGetValue(f.Path, out var size) || size != f.Size).Select(f => f.Path).ToList();
            foreach (var f in artifact.Manifest.Files.Where(f => !bad.Contains(f.Path) && !corrupted.ContainsKey(StoreKeys.Join(prefix, f.Path))))
                if (await Sha256Async(StoreKeys.Join(prefix, f.Path)) is { } sha && sha != f.Sha256) bad.Add(f.Path + " (sha256)");
            tally.Check(invariant, bad.Count == 0, $"{source} names {uri}, whose files do not match its manifest: {string.Join(", ", bad)}");
            return;
        }
    }

    async Task<string?> Sha256Async(string key) => await Retried(() => Sha256OnceAsync(key));

    /// <summary>Retries a read a few times: the S3 SDK can throw its own errors right after the server restarted.</summary>
    static async Task<T> Retried<T>(Func<Task<T>> read)
    {
        for (int attempt = 1; ; attempt++)
        {
            try { return await read(); }
            catch (Exception) when (attempt < 5) { await Task.Delay(1000 * attempt); }
        }
    }

    async Task<string?> Sha256OnceAsync(string key)
    {
        await using var stream = await store.OpenReadAsync(key, CancellationToken.None);
        return stream is null ? null : Convert.ToHexStringLower(await SHA256.HashDataAsync(stream));
    }

    // ---- the other invariants, at the end ----

    async Task CheckAsync()
    {
        await RefreshAsync(CancellationToken.None);
        var gens = snapshot.Generations.Values.ToList();
        // By birth: a Lineage names its i-th generation <lineage>-<i> (a generation bred after a Failed one has the same
        // generation number as the failed one, since it is bred from the same champion).
        Generation? Gen(string lineage, int birth) => snapshot.Generations.GetValueOrDefault($"{lineage}-{birth}");

        // Reference weights: the model file's sha256 in each reference generation's manifest.
        var reference = new Dictionary<int, string>();
        for (int n = 0; n < ChaosLineage.Generations; n++)
            if (Gen("ref", n) is { } g && await ModelShaAsync(g) is { } sha) reference[n] = sha;
        tally.Check("the reference lineage (no faults) completed with a model per generation", reference.Count == ChaosLineage.Generations,
            $"reference models found: {reference.Count}");

        foreach (var l in lineages)
        {
            var lineage = snapshot.Lineages.GetValueOrDefault(l.Name);
            var phase = lineage?.Status?.Phase;
            if (l.Role is LineageRole.Reference or LineageRole.Faulted)
            {
                var phases = Enumerable.Range(0, ChaosLineage.Generations).Select(n => Gen(l.Name, n)?.Status?.Phase).ToList();
                tally.Check("every Generation reached the phase its plan says (Promoted; lineage Complete)",
                    phase == LineagePhases.Complete && phases.All(p => p == GenerationPhases.Promoted),
                    $"{l.Name}: lineage {phase}, generations {string.Join("/", phases)}; {History(lineage)}");
            }
            else
            {
                // Planned (the Lineage's rule: a Failed generation does not stop it; the next is bred from the champion with the
                // next plan step; a base that was never promoted fails it): the corrupted model's first reader (the
                // generation's eval, or its child's training) fails with the sha256 error; that failed generation is k or
                // k+1; no generation bred from the corrupted one is promoted; the lineage ends Failed when generation 0
                // was never promoted, else Complete at maxGenerations.
                var failed = lineage?.Status?.History.FirstOrDefault(h => h.Result == GenerationPhases.Failed);
                int? failedBirth = failed is null ? null : int.TryParse(failed.Name[(failed.Name.LastIndexOf('-') + 1)..], out var b) ? b : null;
                var corruptName = $"{l.Name}-{l.CorruptGeneration}";
                bool baseNeverPromoted = Gen(l.Name, 0)?.Status?.Phase != GenerationPhases.Promoted;
                bool asPlanned = failedBirth is { } n && (n == l.CorruptGeneration || n == l.CorruptGeneration + 1)
                    && failed!.Message?.Contains("corrupted") == true && failed.Message.Contains($"{corruptName}/model/model.safetensors")
                    && Enumerable.Range(0, n).All(i => Gen(l.Name, i)?.Status?.Phase == GenerationPhases.Promoted || i >= l.CorruptGeneration)
                    && gens.Where(g => g.Spec.Parent == corruptName).All(g => g.Status?.Phase != GenerationPhases.Promoted)
                    && phase == (baseNeverPromoted ? LineagePhases.Failed : LineagePhases.Complete);
                tally.Check("every Generation reached the phase its plan says (corrupted model: its first reader Failed naming the sha256; nothing bred from it promoted)", asPlanned,
                    $"{l.Name} (model of {corruptName} corrupted): lineage {phase}; {History(lineage)}");
            }

            // Weights: every promoted generation's model equals the reference's, and its stored bytes match its manifest.
            for (int n = 0; n < ChaosLineage.Generations && l.Role != LineageRole.Reference; n++)
            {
                if (Gen(l.Name, n) is not { Status.Phase: GenerationPhases.Promoted } g) continue;
                // Same recipe as the reference's generation n only when its parent is generation n-1 (not a champion
                // further back, after a Failed generation).
                if (n > 0 && g.Spec.Parent != $"{l.Name}-{n - 1}") { tally.Note("promoted generation bred from an older champion (no reference to compare)"); continue; }
                var sha = await ModelShaAsync(g);
                var restarts = Restarts(g.Metadata.Name + "-train");
                tally.Check(restarts > 0 ? "resumed runs ended with the weights of the uninterrupted run (model.safetensors sha256)"
                        : "runs not interrupted ended with the reference weights (model.safetensors sha256)",
                    sha is not null && reference.GetValueOrDefault(n) == sha, $"{g.Metadata.Name}: {sha} vs reference {reference.GetValueOrDefault(n)} ({restarts} restarts)");
                var key = StoreKeys.Join(new StoreLayout(l.Name, g.Metadata.Name).Model, "model.safetensors");
                if (!corrupted.ContainsKey(key))
                    tally.Check("every promoted model's stored bytes match its manifest", await Sha256Async(key) == sha, key);
            }
        }

        // Corrupted checkpoints: the next pod of the same Job said so (sha256) and resumed from an earlier step.
        foreach (var flip in checkpointFlips)
        {
            var later = trainers.JobLogs(flip.Job).Select(p => p.Log).ToList();
            var file = flip.Key[(flip.Key.LastIndexOf('/') + 1)..];
            var stepDir = flip.Key[..flip.Key.LastIndexOf('/')];
            bool detected = later.Any(log => log.Contains("not used:") && log.Contains(stepDir + "/" + file) && log.Contains("(corrupted)"));
            var supersededBeforeRead = !detected && later.Any(log => System.Text.RegularExpressions.Regex.Matches(log, @"resuming from \S+ at step (\d+)")
                .Any(m => long.Parse(m.Groups[1].Value) > flip.Step));
            if (supersededBeforeRead) { tally.Note("corrupted checkpoint superseded by a newer one before any pod read it"); continue; }
            var jobDone = Restarts(flip.Job) >= 0 && snapshot.Generations.TryGetValue(flip.Job[..^"-train".Length], out var g) && g.Status?.Phase != GenerationPhases.Training;
            tally.Check("every corrupted checkpoint was detected by its sha256 and not resumed from", detected,
                $"{flip.Key} (step {flip.Step}, job {flip.Job}, job finished: {jobDone}): no pod of the job reported it");
            bool resumedBelow = later.SelectMany(log => System.Text.RegularExpressions.Regex.Matches(log, @"resuming from \S+/step-(\d+) at step").Select(m => long.Parse(m.Groups[1].Value)))
                .All(step => step != flip.Step || !detected);
            tally.Check("every corrupted checkpoint was detected by its sha256 and not resumed from", resumedBelow, $"{flip.Key}: a pod resumed from step {flip.Step} after the flip");
        }

        foreach (var l in lineages.Where(l => l.Role == LineageRole.CorruptModel))
            tally.Check("every planned model corruption was injected", modelFlips.Any(f => f.Lineage == l.Name),
                $"{l.Name}: generation {l.CorruptGeneration}'s model never appeared in the store to corrupt");

        // Corrupted models: a reader (the generation's eval or the next generation's training) refused it, naming the file.
        foreach (var flip in modelFlips)
        {
            var readers = Directory.Exists(Path.Combine(Cluster, "logs", ChaosLineage.Namespace))
                ? Directory.GetDirectories(Path.Combine(Cluster, "logs", ChaosLineage.Namespace)).Select(d => trainers.Log(Path.GetFileName(d))).ToList() : [];
            tally.Check("every corrupted model was detected by its sha256 and not used",
                readers.Any(log => log.Contains($"{flip.Key}: sha256") && log.Contains("(corrupted)")), $"{flip.Key}: no reader reported it");
            var children = gens.Where(g => g.Spec.Parent == flip.Generation).ToList();
            tally.Check("every corrupted model was detected by its sha256 and not used",
                children.All(c => c.Status?.Phase != GenerationPhases.Promoted), $"{flip.Key}: a child generation of the corrupted model was promoted");
        }
    }

    static string History(LineageResource? lineage) =>
        string.Join("; ", lineage?.Status?.History.Select(h => $"{h.Name} {h.Result} {h.Reason} {h.Message}") ?? []);

    /// <summary>Pods of a Job beyond the first (each a restart from the last checkpoint).</summary>
    int Restarts(string job) => Math.Max(0, trainers.JobLogs(job).Count() - 1);

    async Task<string?> ModelShaAsync(Generation g)
    {
        var model = await Retried(() => store.ReadAsync(new StoreLayout(g.Spec.Lineage, g.Metadata.Name).Model, CancellationToken.None));
        return model?.Manifest.Files.FirstOrDefault(f => f.Path == "model.safetensors")?.Sha256;
    }

    void Say(string line) => Console.WriteLine($"[{clock.Elapsed:hh\\:mm\\:ss}] {line}");

    sealed record Snapshot(IReadOnlyDictionary<string, LineageResource> Lineages, IReadOnlyDictionary<string, Generation> Generations,
        IReadOnlyList<(string Name, RunStatus? Status)> Runs)
    {
        public static readonly Snapshot Empty = new(new Dictionary<string, LineageResource>(), new Dictionary<string, Generation>(), []);
    }

    public async ValueTask DisposeAsync()
    {
        if (local is { HasExited: false })
        {
            Process.Start("kill", ["-TERM", local.Id.ToString()])!.WaitForExit();
            if (!local.WaitForExit(30_000)) local.Kill(entireProcessTree: true);
        }
        foreach (var p in trainers?.List() ?? []) TrainerProcesses.Signal(p.Pid, "KILL");
        if (proxy is not null) await proxy.DisposeAsync();
        store?.Dispose();
        s3?.Dispose();
        client?.Dispose();
    }
}
