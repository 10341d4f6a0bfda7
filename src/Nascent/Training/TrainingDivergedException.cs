namespace Nascent.Training;

/// <summary>A candidate's loss became NaN or exploded: its trial fails with this reason and the search goes on.</summary>
public sealed class TrainingDivergedException(string reason) : Exception(reason);
