using static TorchSharp.torch;

namespace Lineage.Trainer.Tests.Devices;

/// <summary>
/// TorchSharp's default device for a block. Set to <c>meta</c>, a tensor made without naming its device lands there, where it
/// holds no data: reading it, saving it or mixing it with a CPU tensor throws, and a placement check sees <c>meta</c>.
/// The default is process-wide, so every test that sets it belongs to <see cref="DefaultDeviceCollection"/>.
/// </summary>
sealed class DefaultDevice : IDisposable
{
    readonly Device previous = get_default_device();

    DefaultDevice(Device device) => set_default_device(device);

    public static DefaultDevice Set(Device device) => new(device);

    public void Dispose() => set_default_device(previous);
}

/// <summary>Tests that change process-wide device state (TorchSharp's default device, LINEAGE_DEVICE) run alone, after the others.</summary>
[CollectionDefinition(nameof(DefaultDeviceCollection), DisableParallelization = true)]
public sealed class DefaultDeviceCollection;
