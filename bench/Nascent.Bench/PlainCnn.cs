using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Nascent.Bench;

/// <summary>The small MNIST CNN of docs' TorchSharp notes: two 3 x 3 convolutions (1->16, 16->32), each followed by
/// ReLU and 2 x 2 max pooling, then one linear layer. bench/pytorch_reference.py builds the same network.</summary>
internal sealed class PlainCnn : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d conv1 = nn.Conv2d(1, 16, 3, padding: 1);
    private readonly Conv2d conv2 = nn.Conv2d(16, 32, 3, padding: 1);
    private readonly Linear fc = nn.Linear(32 * 7 * 7, 10);

    public PlainCnn() : base(nameof(PlainCnn)) => RegisterComponents();

    public override Tensor forward(Tensor input)
    {
        using var a = nn.functional.max_pool2d(nn.functional.relu(conv1.call(input)), 2);
        using var b = nn.functional.max_pool2d(nn.functional.relu(conv2.call(a)), 2);
        return fc.call(b.flatten(1));
    }
}
