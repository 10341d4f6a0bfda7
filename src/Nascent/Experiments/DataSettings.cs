namespace Nascent.Experiments;

/// <summary>The data a command trains on, as the user names it: shared by search, train, compare and InstaNAS.</summary>
public sealed record DataSettings
{
    /// <summary>null: the space's default (mnist for image cells; ptb, or text with a text file, for recurrent ones).</summary>
    [Setting("data set: mnist, fashion-mnist, cifar10, cifar100; ptb or text for recurrent cells")]
    public string? Dataset { get; init; }

    /// <summary>null: NASCENT_DATA, else ~/.nascent/data (<see cref="DataDirectories.Resolve"/>).</summary>
    [Setting("data root (default $NASCENT_DATA or ~/.nascent/data)")]
    public string? DataDir { get; init; }

    /// <summary>null: every training image left after carving validation.</summary>
    [Setting("training images used, a seeded random choice (unset: all)", Min = 1)]
    public int? TrainSubset { get; init; } = 10000;

    [Setting("images carved from the training set for validation", Min = 1)]
    public int ValidationSize { get; init; } = 5000;

    /// <summary>The loader's options for an image data set, split by <paramref name="seed"/>.</summary>
    public DataOptions ImageOptions(ulong seed, int? testSubset = null) => new()
    {
        Dataset = DatasetKinds.Parse(Dataset ?? DatasetKinds.Default), DataDirectory = DataDirectories.Resolve(DataDir),
        ValidationSize = ValidationSize, TrainSubset = TrainSubset, TestSubset = testSubset, Seed = seed,
    };
}
