using Lineage.Contracts.Config;
using TorchSharp;
using static TorchSharp.torch;

namespace Lineage.Trainer.Devices;

/// <summary>
/// The torch device a run places its model, optimizer state, batches and sampler on, from its <see cref="DeviceSetting"/>.
/// Asking for CUDA where libtorch sees none is an error naming where the request came from, never a silent fall-back to CPU.
/// </summary>
public static class ComputeDevice
{
    /// <param name="configured">The config's device field (null: <see cref="DeviceSetting.Variable"/>, then auto).</param>
    public static Device Resolve(string? configured, string field = "device")
    {
        var (value, source) = DeviceSetting.Effective(configured, field);
        if (!DeviceSetting.IsValid(value)) throw new ConfigError($"{source}: must be {DeviceSetting.Forms} (got '{value}')");
        if (value == DeviceSetting.Cpu) return CPU;
        if (value == DeviceSetting.Auto) return cuda.is_available() ? new Device(DeviceType.CUDA, 0) : CPU;
        int index = DeviceSetting.CudaIndex(value)!.Value;
        if (!cuda.is_available())
            throw new ConfigError($"{source}: {value} was asked for, but libtorch sees no CUDA device (torch.cuda.is_available() is false: " +
                "a CPU build of the trainer, no GPU given to the pod, or no NVIDIA driver on the node); use cpu or auto");
        int count = cuda.device_count();
        if (index >= count) throw new ConfigError($"{source}: {value} was asked for, but only {count} CUDA device(s) are visible (cuda:0 … cuda:{count - 1})");
        return new Device(DeviceType.CUDA, index);
    }

    /// <summary>"cpu" or "cuda:N", for logs and metrics.</summary>
    public static string Describe(Device device) => device.type == DeviceType.CUDA ? $"cuda:{Math.Max(0, device.index)}" : device.type.ToString().ToLowerInvariant();

    /// <summary>The same device (CUDA's -1 "current" index counts as 0, as torch reports tensors on device 0).</summary>
    public static bool Same(Device a, Device b) => a.type == b.type && (a.type != DeviceType.CUDA || Math.Max(0, a.index) == Math.Max(0, b.index));
}
