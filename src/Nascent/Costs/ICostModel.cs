namespace Nascent.Costs;

/// <summary>A device cost known before an architecture is trained (a table column, a latency lookup table, counted
/// parameters or FLOPs): what DPP-Net weighs its unevaluated candidates by.</summary>
public interface ICostModel
{
    /// <summary>The cost's name, as <see cref="Objectives.CostMetric"/> spells it.</summary>
    string Name { get; }

    double Of(Architecture architecture);
}
