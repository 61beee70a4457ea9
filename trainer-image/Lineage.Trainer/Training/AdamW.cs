using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Lineage.Trainer.Training;

/// <summary>
/// AdamW (decoupled weight decay, bias-corrected moments) with its state in plain named tensors,
/// so a checkpoint holds exactly what resuming needs. Decay applies to matrices only, not to
/// norms, biases or 1-D weights (the nanoGPT / HF convention).
/// </summary>
public sealed class AdamW : IDisposable
{
    readonly (string Name, Parameter Param)[] parameters;
    readonly Dictionary<string, Tensor> firstMoment = [], secondMoment = [];
    readonly double beta1, beta2, eps, weightDecay;

    public long Step { get; private set; }

    public AdamW(IEnumerable<(string Name, Parameter Param)> namedParameters, double beta1, double beta2, double eps, double weightDecay)
    {
        parameters = namedParameters.Where(p => p.Param.requires_grad).ToArray();
        (this.beta1, this.beta2, this.eps, this.weightDecay) = (beta1, beta2, eps, weightDecay);
        foreach (var (name, p) in parameters)
        {
            firstMoment[name] = zeros_like(p).DetachFromDisposeScope();
            secondMoment[name] = zeros_like(p).DetachFromDisposeScope();
        }
    }

    public IEnumerable<Parameter> Parameters => parameters.Select(p => p.Param);

    public void ZeroGrad()
    {
        foreach (var (_, p) in parameters) p.grad?.zero_();
    }

    public void Apply(double learningRate)
    {
        Step++;
        double correction1 = 1 - Math.Pow(beta1, Step), correction2 = 1 - Math.Pow(beta2, Step);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        foreach (var (name, p) in parameters)
        {
            var grad = p.grad;
            if (grad is null) continue;
            var m = firstMoment[name];
            var v = secondMoment[name];
            m.mul_(beta1).add_(grad, alpha: 1 - beta1);
            v.mul_(beta2).addcmul_(grad, grad, value: 1 - beta2);
            if (weightDecay > 0 && p.dim() >= 2) p.mul_(1 - learningRate * weightDecay);
            var denom = (v / correction2).sqrt_().add_(eps);
            p.addcdiv_(m, denom, value: -learningRate / correction1);
        }
    }

    /// <summary>Named moments plus the step, for the training-state file.</summary>
    public Dictionary<string, Tensor> StateTensors()
    {
        var state = new Dictionary<string, Tensor>();
        foreach (var (name, _) in parameters)
        {
            state[$"exp_avg.{name}"] = firstMoment[name];
            state[$"exp_avg_sq.{name}"] = secondMoment[name];
        }
        return state;
    }

    public void LoadState(IReadOnlyDictionary<string, Tensor> state, long step, string source)
    {
        using var noGrad = no_grad();
        foreach (var (name, p) in parameters)
        {
            if (!state.TryGetValue($"exp_avg.{name}", out var m) || !state.TryGetValue($"exp_avg_sq.{name}", out var v))
                throw new InvalidDataException($"{source}: optimizer state has no moments for '{name}'");
            if (!m.shape.SequenceEqual(p.shape) || !v.shape.SequenceEqual(p.shape))
                throw new InvalidDataException($"{source}: optimizer moments for '{name}' have shape [{string.Join(",", m.shape)}], parameter has [{string.Join(",", p.shape)}]");
            firstMoment[name].copy_(m);
            secondMoment[name].copy_(v);
        }
        Step = step;
    }

    public void Dispose()
    {
        foreach (var t in firstMoment.Values.Concat(secondMoment.Values)) t.Dispose();
    }
}
