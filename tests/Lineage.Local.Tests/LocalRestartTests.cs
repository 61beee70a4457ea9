using k8s;
using Lineage.Local.Tests.Support;
using Lineage.Operator.Api.V1Alpha1;
using Lineage.Operator.Runtime;

namespace Lineage.Local.Tests;

/// <summary>Local mode killed in the middle of a training Job, as a power cut would: the next start finishes the same lineage.</summary>
public sealed class LocalRestartTests : IDisposable
{
    readonly string data = Directory.CreateTempSubdirectory("lineage-restart").FullName;
    string Cluster => Path.Combine(data, "cluster");

    [Fact]
    public async Task Killed_during_GRPO_the_next_start_resumes_the_same_job_from_its_checkpoint_and_the_lineage_completes()
    {
        var manifest = TinyLineage.Write(data, grpoSteps: 200, checkpointEvery: 5);
        string? uidBefore;
        string firstOutput;
        await using (var first = LocalRun.Start(Cluster, "--apply", manifest))
        {
            // A power cut once GRPO has checkpointed (step 5) and gone on: the trainer is frozen the moment its log passes
            // step 6 (a tiny step takes ~50 ms), then the operator and the trainer are killed without warning.
            await Until(() => TrainerLogs("math-1-train").Any(log => LastStep(log) >= 6), TimeSpan.FromMinutes(5), first);
            var trainers = TrainerProcesses();
            Assert.NotEmpty(trainers);
            foreach (var pid in trainers) Signal("STOP", pid);
            using var client = await LocalRun.ClientAsync(Cluster, TimeSpan.FromSeconds(30));
            uidBefore = (await client.BatchV1.ReadNamespacedJobAsync("math-1-train", TinyLineage.Namespace)).Metadata.Uid;
            await first.KillAsync();
            foreach (var pid in trainers) Signal("KILL", pid);
            firstOutput = first.Output;
            Assert.True(LastStep(Assert.Single(TrainerLogs("math-1-train"))) < 200, "GRPO finished before it could be interrupted");
        }

        await using var second = LocalRun.Start(Cluster, "--exit-when-done");
        var exit = await second.ExitAsync(TimeSpan.FromMinutes(8));
        Assert.True(exit == 0, $"local exited {exit}:\n{second.Output}");
        Assert.Contains("champion math-2", second.Output);

        await using var reader = LocalRun.Start(Cluster);
        using var after = await LocalRun.ClientAsync(Cluster, TimeSpan.FromMinutes(1));
        var job = await after.BatchV1.ReadNamespacedJobAsync("math-1-train", TinyLineage.Namespace);
        Assert.Equal(uidBefore, job.Metadata.Uid);
        Assert.Equal(1, job.Status.Succeeded);
        var pods = (await after.CoreV1.ListNamespacedPodAsync(TinyLineage.Namespace, labelSelector: "job-name=math-1-train")).Items;
        Assert.True(pods.Count == 2, "pods of math-1-train: " + string.Join(", ", pods.Select(p => $"{p.Metadata.Name} {p.Status.Phase} {p.Status.Reason}"))
            + "\nfirst run:\n" + firstOutput + "\nsecond run:\n" + second.Output);
        var killed = Assert.Single(pods, p => p.Status.Phase == "Failed");
        Assert.Equal("NodeRestarted", killed.Status.Reason);
        Assert.Single(pods, p => p.Status.Phase == "Succeeded");

        // The replacement pod resumed from the killed one's checkpoint instead of starting over.
        var resumed = Assert.Single(TrainerLogs("math-1-train"), log => log.Contains("resuming from"));
        var step = int.Parse(System.Text.RegularExpressions.Regex.Match(resumed, @"resuming from \S+ at step (\d+)").Groups[1].Value);
        Assert.True(step >= 5, $"resumed at step {step}");

        var lineage = await new ResourceClient<LineageResource>(after).GetAsync(new ObjectKey(TinyLineage.Namespace, TinyLineage.Name), default);
        Assert.Equal(LineagePhases.Complete, lineage?.Status?.Phase);
        Assert.All(lineage!.Status!.History, h => Assert.Equal(GenerationPhases.Promoted, h.Result));
    }

    static int LastStep(string log) =>
        System.Text.RegularExpressions.Regex.Matches(log, "\"step\":(\\d+),").Select(m => int.Parse(m.Groups[1].Value)).DefaultIfEmpty(0).Max();

    /// <summary>The trainer processes the local node started for this test's cluster (their config is under its folder).</summary>
    List<int> TrainerProcesses() =>
        Directory.GetDirectories("/proc").Select(Path.GetFileName).Where(d => d!.All(char.IsAsciiDigit)).Select(int.Parse!)
            .Where(pid =>
            {
                try { return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ') is var line && line.Contains("lineage-trainer.dll grpo ") && line.Contains(Cluster); }
                catch (IOException) { return false; }
                catch (UnauthorizedAccessException) { return false; }
            }).ToList();

    static void Signal(string signal, int pid) => System.Diagnostics.Process.Start("kill", [$"-{signal}", pid.ToString()])!.WaitForExit();

    /// <summary>The trainer logs of a Job's pods, as the local node keeps them (logs/namespace/pod/container.log).</summary>
    IEnumerable<string> TrainerLogs(string job)
    {
        var folder = Path.Combine(Cluster, "logs", TinyLineage.Namespace);
        if (!Directory.Exists(folder)) return [];
        return Directory.GetDirectories(folder, job + "-*").SelectMany(pod => Directory.GetFiles(pod, "*.log")).Select(ReadShared).ToList();
    }

    static string ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        return new StreamReader(stream).ReadToEnd();
    }

    static async Task Until(Func<bool> condition, TimeSpan timeout, LocalRun run)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"not reached within {timeout}; output:\n{run.Output}");
            await Task.Delay(100);
        }
    }

    public void Dispose()
    {
        try { Directory.Delete(data, recursive: true); } catch (IOException) { }
    }
}
