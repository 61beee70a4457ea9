using k8s;

namespace Lineage.LocalNode.Tests.Integration;

/// <summary>
/// The test assembly's entry point: <c>dotnet Lineage.LocalNode.Tests.dll node-host URL DATA LOGS</c> runs a local
/// node against the API server at URL (with the shell image) until the process is killed, printing "ready" once
/// it serves. The restart tests start it as a child process and SIGKILL it, as a real crash.
/// </summary>
public static class NodeHostProgram
{
    public static async Task<int> Main(string[] args)
    {
        if (args is not ["node-host", var url, var data, var logs])
        {
            Console.Error.WriteLine("usage: node-host URL DATA LOGS");
            return 2;
        }
        var client = new Kubernetes(new KubernetesClientConfiguration { Host = url });
        await using var node = await LocalNode.StartAsync(client, LocalCluster.NodeOptions(data, logs));
        Console.WriteLine("ready");
        await Task.Delay(Timeout.Infinite);
        return 0;
    }
}
