namespace Nascent.Objectives;

/// <summary>Whether more of an objective is better (accuracy) or less (latency, params, FLOPs, energy).</summary>
public enum Direction
{
    Maximize,
    Minimize,
}
