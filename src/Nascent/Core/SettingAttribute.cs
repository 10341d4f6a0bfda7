namespace Nascent.Core;

/// <summary>
/// Describes one setting of an options record: what it does, and the range its value must lie in. The command line
/// builds its options and help from these (with the record's own default), and <see cref="Settings.Validate"/>
/// checks the ranges, so a range is written once. Bounds apply to numbers; null values (an optional setting left
/// unset) are not checked.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class SettingAttribute(string description) : Attribute
{
    public string Description { get; } = description;
    public double Min { get; init; } = double.NegativeInfinity;
    public double Max { get; init; } = double.PositiveInfinity;
    /// <summary>The value must be greater than <see cref="Min"/> (not equal to it).</summary>
    public bool MinExclusive { get; init; }
    /// <summary>The value must be less than <see cref="Max"/> (not equal to it).</summary>
    public bool MaxExclusive { get; init; }
    /// <summary>Where the default comes from in the official code or paper (repository, file and line), when it does.</summary>
    public string? Source { get; init; }
}
