using System.Text.RegularExpressions;

namespace Lineage.Chaos.Bench;

/// <summary>A lineage-trainer process the local node started for a pod (found by the HOSTNAME and HOME it was given).</summary>
public sealed record TrainerProcess(int Pid, string Pod)
{
    /// <summary>The Job the pod belongs to: the pod name without its random suffix.</summary>
    public string Job => Pod[..Pod.LastIndexOf('-')];
}

/// <summary>Finds the trainer processes of one local cluster in /proc, signals them and reads their pods' logs.</summary>
public sealed class TrainerProcesses(string cluster, string @namespace)
{
    public IReadOnlyList<TrainerProcess> List()
    {
        var found = new List<TrainerProcess>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            var name = Path.GetFileName(dir);
            if (!name.All(char.IsAsciiDigit)) continue;
            try
            {
                var cmdline = File.ReadAllText(Path.Combine(dir, "cmdline"));
                if (!cmdline.Contains("lineage-trainer")) continue;
                var environ = File.ReadAllText(Path.Combine(dir, "environ")).Split('\0');
                string? Var(string v) => environ.FirstOrDefault(e => e.StartsWith(v + "=", StringComparison.Ordinal))?[(v.Length + 1)..];
                if (Var("HOME") is not { } home || !home.StartsWith(cluster, StringComparison.Ordinal)) continue;
                if (Var("HOSTNAME") is { } pod) found.Add(new TrainerProcess(int.Parse(name), pod));
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        return found;
    }

    /// <summary>Sends the signal; false when the process was already gone.</summary>
    public static bool Signal(int pid, string signal)
    {
        using var p = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("kill", [$"-{signal}", pid.ToString()]) { RedirectStandardError = true })!;
        p.StandardError.ReadToEnd();
        p.WaitForExit();
        return p.ExitCode == 0;
    }

    /// <summary>The pod's trainer log as the local node keeps it.</summary>
    public string Log(string pod)
    {
        var folder = Path.Combine(cluster, "logs", @namespace, pod);
        if (!Directory.Exists(folder)) return "";
        return string.Concat(Directory.GetFiles(folder, "*.log").Select(ReadShared));
    }

    /// <summary>The logs of every pod a Job has had.</summary>
    public IEnumerable<(string Pod, string Log)> JobLogs(string job)
    {
        var folder = Path.Combine(cluster, "logs", @namespace);
        if (!Directory.Exists(folder)) return [];
        return Directory.GetDirectories(folder, job + "-*")
            .Where(d => Path.GetFileName(d)[..Path.GetFileName(d).LastIndexOf('-')] == job)
            .Select(d => (Path.GetFileName(d), Log(Path.GetFileName(d)))).ToList();
    }

    /// <summary>The last optimizer step a trainer log reports (0 before the first).</summary>
    public static long LastStep(string log) =>
        Regex.Matches(log, "\"step\":(\\d+),").Select(m => long.Parse(m.Groups[1].Value)).DefaultIfEmpty(0).Max();

    static string ReadShared(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            return new StreamReader(stream).ReadToEnd();
        }
        catch (IOException) { return ""; }
    }
}
