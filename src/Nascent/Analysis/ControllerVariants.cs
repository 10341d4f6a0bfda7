using Nascent.Experiments.Search;

namespace Nascent.Analysis;

/// <summary>
/// The three controllers the memory-buffer question needs side by side: vanilla ENAS, the memory buffer without the
/// decision-recovery loss (the fix as arXiv 1904.00438's abstract describes it) and with it (which trains the very
/// correlation the analysis measures). Each is searched with one run's configuration (space, data, budget, seed,
/// controller options), only the strategy and the loss's weight changed, then analysed with the same
/// <see cref="ControllerAnalysisOptions"/>, so the figures differ by the variant alone.
/// </summary>
public static class ControllerVariants
{
    /// <summary>A variant: its name (and folder), strategy and options.</summary>
    public sealed record Variant(string Name, string Strategy, IStrategyOptions Options, double AuxiliaryWeight);

    /// <summary>The three variants of <paramref name="run"/>'s configuration: its controller options for all three;
    /// its memory buffer (or the defaults, for an enas run) for both buffered ones; the loss's weight the run's own
    /// when it trained one, otherwise <see cref="ControllerAnalysisOptions.VariantAuxiliaryWeight"/>.</summary>
    public static IReadOnlyList<Variant> Of(SearchConfig run, ControllerAnalysisOptions options)
    {
        var (controller, memory) = run.Options() switch
        {
            MemoryControllerOptions m => (m.Controller, m.Memory),
            ControllerOptions c => (c, new MemoryBufferOptions()),
            var other => throw new NascentException($"Strategy '{run.Strategy}' has no ENAS controller ({other.GetType().Name}); give a run of enas or enas-memory."),
        };
        double weight = memory.TrainsAuxiliaryLoss ? memory.AuxiliaryWeight : options.VariantAuxiliaryWeight;
        return
        [
            new(Enas.Descriptor.Name, Enas.Descriptor.Name, controller, 0),
            new(Enas.MemoryDescriptor.Name, Enas.MemoryDescriptor.Name,
                new MemoryControllerOptions { Controller = controller, Memory = memory with { AuxiliaryWeight = 0 } }, 0),
            new(Enas.MemoryDescriptor.Name + "-aux", Enas.MemoryDescriptor.Name,
                new MemoryControllerOptions { Controller = controller, Memory = memory with { AuxiliaryWeight = weight } }, weight),
        ];
    }

    /// <summary>Searches each variant into <paramref name="directory"/>/NAME (a full search run) and analyses its
    /// controller; each analysis is written into NAME/analysis, the comparison into result.json and variants.csv.</summary>
    public static ControllerVariantsResult Run(SearchConfig run, RunDirectory directory, ControllerAnalysisOptions options,
        IProgress<ProgressEvent>? progress = null)
    {
        options.Validate();
        var clock = Stopwatch.StartNew();
        var results = new List<ControllerVariantResult>();
        foreach (var variant in Of(run, options))
        {
            string folder = Path.Combine(directory.Path, variant.Name);
            var search = SearchExperiment.Run(run with { Strategy = variant.Strategy, StrategyOptions = variant.Options, Out = folder }, progress);
            ControllerAnalysisResult analysis;
            using (var strategy = ControllerAnalysis.LoadStrategy(folder))
                analysis = ControllerAnalysis.Run(strategy, options, progress);
            ControllerAnalysisReport.Write(analysis, RunDirectory.Create(Path.Combine(folder, "analysis"), "analyze"));
            results.Add(new ControllerVariantResult(variant.Name, variant.Strategy, variant.AuxiliaryWeight, folder,
                search.Best.Arch, search.Best.ValAcc, analysis));
        }
        var result = new ControllerVariantsResult(run.Space, run.Seed, results, clock.Elapsed.TotalSeconds);
        ControllerAnalysisReport.WriteVariants(result, directory);
        return result;
    }
}

/// <summary>One variant's search and controller analysis.</summary>
public sealed record ControllerVariantResult(string Variant, string Strategy, double AuxiliaryWeight, string Run,
    string BestArchitecture, double BestValidationAccuracy, ControllerAnalysisResult Analysis);

/// <summary>The three variants side by side (result.json of `analyze controller --variants`; docs/RESULTS.md).</summary>
public sealed record ControllerVariantsResult(string Space, ulong Seed, IReadOnlyList<ControllerVariantResult> Variants, double WallSeconds);
