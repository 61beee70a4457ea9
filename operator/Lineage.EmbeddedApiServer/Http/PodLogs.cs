using System.Text;
using System.Text.Json.Nodes;
using Lineage.EmbeddedApiServer.Storage;
using Microsoft.AspNetCore.Http;

namespace Lineage.EmbeddedApiServer.Http;

/// <summary>
/// The <c>pods/log</c> subresource, read from the files the node writes: container C of pod P in namespace N
/// is <c>&lt;directory&gt;/N/P/C.log</c>. <c>container</c> picks the container (required when there are several),
/// <c>tailLines</c> keeps the last lines, <c>follow=true</c> streams until the pod has finished and the file is read.
/// </summary>
internal sealed class PodLogs(ObjectStore store, string? directory)
{
    private static readonly TimeSpan FollowPoll = TimeSpan.FromMilliseconds(200);

    public async Task<int> Serve(HttpContext context, string ns, string pod)
    {
        var request = context.Request;
        var obj = store.Get(BuiltInResources.Pods, ns, pod).MutableCopy();
        var containers = (obj["spec"]?["containers"] as JsonArray)?.Select(c => c?["name"]?.GetValue<string>()).OfType<string>().ToList() ?? [];
        var container = request.Query["container"].ToString();
        if (container.Length == 0)
        {
            if (containers.Count != 1)
                throw ApiException.BadRequest($"a container name must be specified for pod {pod}, choose one of: [{string.Join(" ", containers)}]");
            container = containers[0];
        }
        else if (!containers.Contains(container))
            throw ApiException.BadRequest($"container {container} is not valid for pod {pod}");

        var path = directory is null ? null : Path.Combine(directory, ns, pod, container + ".log");
        if (path is null || !File.Exists(path))
            throw ApiException.BadRequest($"container \"{container}\" in pod \"{pod}\" is waiting to start: ContainerCreating");

        var tail = RequestQuery.Int(request, "tailLines");
        var follow = RequestQuery.Flag(request, "follow");
        context.Response.StatusCode = 200;
        context.Response.ContentType = "text/plain";
        var aborted = context.RequestAborted;
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        if (tail is { } lines) file.Position = StartOfLastLines(file, lines);
        await file.CopyToAsync(context.Response.Body, aborted).ConfigureAwait(false);
        if (!follow) return 200;

        await context.Response.Body.FlushAsync(aborted).ConfigureAwait(false);
        try
        {
            while (!aborted.IsCancellationRequested)
            {
                // Read to the end once more after the pod finished: it may have written its last lines meanwhile.
                var finished = HasFinished(ns, pod);
                await file.CopyToAsync(context.Response.Body, aborted).ConfigureAwait(false);
                await context.Response.Body.FlushAsync(aborted).ConfigureAwait(false);
                if (finished) break;
                await Task.Delay(FollowPoll, aborted).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // kubectl logs -f ended by the user.
        }
        return 200;
    }

    /// <summary>Whether the pod has succeeded, failed or gone: following stops there.</summary>
    private bool HasFinished(string ns, string pod) =>
        store.TryGet(BuiltInResources.Pods, ns, pod) is not { } current
        || current.MutableCopy()["status"]?["phase"]?.GetValue<string>() is "Succeeded" or "Failed";

    /// <summary>The offset where the last <paramref name="lines"/> lines begin (a final newline ends the last line).</summary>
    private static long StartOfLastLines(FileStream file, int lines)
    {
        if (lines <= 0) return file.Length;
        var buffer = new byte[8192];
        var position = file.Length;
        var newlines = 0;
        var skippedFinal = false;
        while (position > 0)
        {
            var size = (int)Math.Min(buffer.Length, position);
            position -= size;
            file.Position = position;
            file.ReadExactly(buffer, 0, size);
            for (var i = size - 1; i >= 0; i--)
            {
                if (buffer[i] != (byte)'\n') continue;
                if (!skippedFinal && position + i == file.Length - 1)
                {
                    skippedFinal = true;
                    continue;
                }
                if (++newlines == lines) return position + i + 1;
            }
        }
        return 0;
    }
}
