namespace Nascent.Prediction;

/// <summary>One image's prediction: the file, the most probable class and its softmax probability.</summary>
public sealed record ImagePrediction(string Path, string Class, double Probability);
