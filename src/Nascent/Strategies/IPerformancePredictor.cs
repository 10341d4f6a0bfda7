namespace Nascent.Strategies;

/// <summary>A strategy that learns a model of performance (NAO's predictor) and can score architectures it has not
/// evaluated; the tabular harness measures how well it ranks held-out ones.</summary>
public interface IPerformancePredictor
{
    /// <summary>Predicted performance of each architecture, on the strategy's own scale (only the order matters).</summary>
    double[] PredictPerformance(IReadOnlyList<Architecture> architectures);
}
