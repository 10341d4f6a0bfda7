namespace Nascent.Nn;

/// <summary>Passes its input on (skip_connect, identity). Returns an alias so callers may dispose what they get.</summary>
public sealed class Identity : nn.Module<Tensor, Tensor>
{
    public Identity() : base(nameof(Identity)) { }

    public override Tensor forward(Tensor input) => input.alias();
}
