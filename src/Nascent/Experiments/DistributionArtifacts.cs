using System.Globalization;
using System.Text;
using Nascent.Analysis;
using Nascent.Core;
using Nascent.Nn;
using Nascent.Spaces;
using Nascent.Strategies;

namespace Nascent.Experiments;

/// <summary>
/// What PARSEC and DARTS runs write beside result.json, and PARSEC's transfer: distribution.json (per decision the
/// options, logits and probabilities, the most probable architecture), parsec_curve.csv and entropy.png, the shared
/// weights (supernet.dat, for <c>--prior-weights</c>); darts.json (α and softmax(α), the discretised architecture).
/// </summary>
public static class DistributionArtifacts
{
    public const string SupernetFile = "supernet.dat";
    public const string CurveFile = "parsec_curve.csv";
    public const string EntropyPlotFile = "entropy.png";
    public const string DartsFile = "darts.json";

    /// <summary>Reads and checks the prior of <c>--prior-from</c> before any data is loaded.</summary>
    public static ParsecDistribution? LoadPrior(SearchConfig config, SearchSpace space)
    {
        if (config.PriorFrom is null) return null;
        var prior = ParsecDistribution.Load(config.PriorFrom);
        prior.CheckSpace(space, config.PriorFrom);
        if (config.PriorWeights)
        {
            string weights = Path.Combine(config.PriorFrom, SupernetFile);
            if (!File.Exists(weights))
                throw new NascentException($"--prior-weights: {weights} not found (a parsec run writes it when it ends).");
            var source = RunDirectory.ReadJson<SearchConfig>(Path.Combine(config.PriorFrom, "config.json"));
            if (source.Channels != config.Channels || source.Cells != config.Cells)
                throw new NascentException($"--prior-weights: {config.PriorFrom} trained a supernet of --channels {source.Channels} --cells {source.Cells}, " +
                    $"this search builds --channels {config.Channels} --cells {config.Cells}; drop --prior-weights to transfer π only.");
        }
        return prior;
    }

    public static void LoadWeights(CellNetwork supernet, string runDirectory)
    {
        string path = Path.Combine(runDirectory, SupernetFile);
        try
        {
            supernet.load(path);
        }
        catch (Exception e) when (e is not NascentException)
        {
            throw new NascentException($"--prior-weights: {path} does not fit this search's supernet (same space, --channels, --cells and image size needed): {e.Message.Split('\n')[0]}");
        }
    }

    public static void WriteParsec(RunDirectory run, Parsec parsec, CellNetwork supernet)
    {
        run.WriteJson(ParsecDistribution.FileName, parsec.Distribution());
        var csv = new StringBuilder("updates,entropy,step,val_acc,most_probable\n");
        foreach (var h in parsec.History)
            csv.Append(CultureInfo.InvariantCulture, $"{h.Updates},{h.Entropy:R},{h.Step},{h.ValidationAccuracy:R},\"{h.Architecture}\"\n");
        File.WriteAllText(run.File(CurveFile), csv.ToString());
        double maximum = parsec.Space.Decisions.Sum(d => Math.Log(d.Count));
        EntropyPlot.Write(run.File(EntropyPlotFile), parsec.History, maximum);
        supernet.save(run.File(SupernetFile));
    }

    public static void WriteDarts(RunDirectory run, Darts darts) => run.WriteJson(DartsFile, darts.Relaxation());
}
