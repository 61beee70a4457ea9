using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Lineage.Trainer.Model;

/// <summary>RMSNorm as in Llama: x · rsqrt(mean(x²) + eps) · weight, computed in float32.</summary>
public sealed class RmsNorm : nn.Module<Tensor, Tensor>
{
    readonly Parameter weight;
    readonly double eps;

    public RmsNorm(int size, double eps, Device? device = null) : base(nameof(RmsNorm))
    {
        this.eps = eps;
        weight = new Parameter(ones(size, device: device));
        register_parameter("weight", weight);
    }

    public override Tensor forward(Tensor x)
    {
        var x32 = x.to_type(ScalarType.Float32);
        var normed = x32 * (x32.pow(2).mean([-1], keepdim: true) + eps).rsqrt();
        return weight * normed.to_type(x.dtype);
    }
}
