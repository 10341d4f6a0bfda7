using System.CommandLine;
using System.CommandLine.Help;
using System.Globalization;
using Nascent.Core;
using Nascent.Experiments;
using Nascent.Spaces;
using Nascent.Strategies;
using Nascent.Experiments.Bench;
using Nascent.Experiments.Compare;
using Nascent.Experiments.Search;
using Nascent.Experiments.Train;

namespace Nascent.Cli;

/// <summary>The `nascent` commands: parse options, run the library's experiment, print a short summary.</summary>
public static class Commands
{
    private const string SearchHelp = """
        nascent search [options]
        nascent search --table FILE.csv [--table FILE2.csv] --objective COL [--report COL] [--cost COL]
                       [--strategy rs|rea|reinforce|nao] [--queries N] [--seed N] [--out DIR]
        nascent search --resume RUN_DIR [--quiet | --json-progress]

          --space nb201|enas-micro|enas-rnn|nao-rnn   search space (default nb201; with --table, the space of its
                                          arch column; enas-rnn and nao-rnn are recurrent cells for language models)
          --nodes N                       nodes per cell, enas-micro (default 5), enas-rnn and nao-rnn (default 8)
          --strategy NAME                 over a weight-sharing supernet: rsws (random search with weight sharing),
                                          enas (ENAS controller), enas-memory (ENAS with a memory buffer),
                                          nao-ws (NAO with weight sharing), parsec (PARSEC: a learned distribution,
                                          importance-weighted updates), darts (first-order DARTS, nb201 only);
                                          one candidate at a time (trained from scratch, or looked up with --table):
                                          rs (also 'random'), rea (regularized evolution), reinforce, nao,
                                          monas and dpp (device-aware: need --cost);
                                          instanas (a controller choosing an architecture per image: see
                                          nascent search --strategy instanas --help)
                                          (default rsws; rs with --table)

        Tabular search (each trial a lookup; no data set or training options):
          --table FILE.csv                a CSV with an 'arch' column and metric columns; repeat to join more files
                                          (on 'arch', or on 'index' when a file has no 'arch')
          --objective COL                 column to maximize (reported as best.val_acc)
          --report COL                    column reported for the best architecture (best.test_acc)
          --cost COL[,COL]                columns recorded for every trial and weighed against the objective
                                          (see Device-aware search)
          --queries N                     table lookups (default 150)
          --time-column COL --time-budget SECONDS   stop once the column's simulated training time is spent
          --population N --sample-size N  regularized evolution's population and tournament size (default 10, 3)

        Training search:
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
          --latency-table FILE            from-scratch strategies: each candidate's latency (trials.db latency_ms) is
                                          predicted by this table ('nascent latency profile'; its space, input shape
                                          and network size must match the search's) instead of measured on the
                                          trained network here (batch 1); FLOPs (millions of multiply-accumulates
                                          per image) are always counted
          --out DIR                       run directory (default runs/<time>-search)

        Store, checkpoints and progress (any search):
          --checkpoint-every N            write a checkpoint (strategy state; with weight sharing also the supernet,
                                          its optimizer and the data order) every N trials of a one-at-a-time search
                                          or every N supernet epochs (default 10 trials, 1 epoch; 0 = never)
          --resume RUN_DIR                continue a run that was stopped or killed, with the options it started with:
                                          finished trials are kept (read back, not run again), trials that were
                                          running are run again; the result is the one the run would have given
          --quiet                         no progress, only the final summary
          --json-progress                 progress as one JSON object per line on standard error (docs/RESULTS.md)

        ENAS controller (enas, enas-memory):
          --controller-steps N            controller updates after each supernet epoch (default 30)
          --controller-samples N          sampled architectures per update (default 10)
          --reward-images N               validation images each sample's reward is measured on (default 128)
          --controller-lr X               Adam learning rate (default 0.0035)
          --entropy-weight X              entropy bonus in the reward (default 0.0001)
          --lstm-size N                   controller LSTM units (default 64)
          --memory-size N                 enas-memory: architectures kept in the buffer (default 100)
          --memory-replays N              enas-memory: buffered architectures replayed per update (default 10)
          --memory-aux-weight X           enas-memory: weight of the decision-recovery loss (default 0.1)

        Device-aware search (any one-at-a-time strategy; monas and dpp need it):
          --cost NAME[,NAME]              costs to trade against accuracy: table columns with --table (e.g. a latency
                                          or energy column); latency, params or flops when training. The search
                                          returns the Pareto front of what it evaluated (result.json, pareto.png)
          --budget X                      largest acceptable first cost: the best architecture within it is returned,
                                          and monas uses its constrained reward (the accuracy within the budget,
                                          --over-budget-reward above it)
          --cost-weight W                 monas weighted reward (no --budget): accuracy - W * cost / scale (default 0.5)
          --cost-scale X                  the scale (default: the largest cost seen so far)
          --over-budget-reward X          monas constrained reward of an architecture over the budget (default 0)
          --dpp-keep K                    dpp: candidates evaluated per stage, Pareto-selected (default 20)
          --dpp-epochs N                  dpp: epochs of each fit of the LSTM accuracy predictor (default 100)

        NAO (nao, nao-ws):
          --nao-seed N                    random seed architectures (nao-ws: the pool) (default 50)
          --nao-new N                     new architectures decoded per iteration (default 25)
          --nao-top N                     best architectures moved in the embedding space (default 25)
          --nao-epochs N                  encoder-predictor-decoder epochs per iteration (default 100)

        PARSEC (parsec): per decision a categorical with logits π; each supernet step draws K architectures,
        weights them by ω = softmax of their batch log-likelihoods, trains the shared weights on the ω-weighted
        losses one architecture at a time, and moves π along the ω-weighted gradient of log p(α|π). Writes
        distribution.json, parsec_curve.csv, entropy.png and supernet.dat beside result.json.
          --parsec-samples K              architectures sampled per step (default 4)
          --parsec-lr X|auto              step size of the π update (default auto: 20 / the π updates the search
                                          makes, so π can concentrate within any budget)
          --parsec-every N                update π every N supernet steps (default 1)
          --parsec-warmup N               keep π uniform for the first N supernet steps (default 0)
          --parsec-on-validation          weight the π update by likelihoods on a validation batch (bilevel)
          --parsec-probe-every N          score the most probable architecture every N steps (default 25; 0 = never)
          --parsec-probe-images N         validation images of each probe (default 500)
          --prior-from RUN_DIR            start π from a finished parsec run (same space and --nodes)
          --prior-weights                 with --prior-from: also start the shared weights from that run
                                          (same --channels and --cells)

        DARTS (darts, nb201 only): every edge computes all 5 operations weighted by softmax(α); shared-weight steps on
        training batches alternate with α steps (Adam) on validation batches; the result is the argmax of α per edge,
        "none" included. Writes darts.json.
          --darts-lr X                    Adam learning rate of α (default 0.0003)

          Language models (--space enas-rnn|nao-rnn; strategies rsws, enas, enas-memory, nao-ws, rs, rea, reinforce, nao):
        """ + "\n" + LanguageModelHelp;

    /// <summary>The language-model options, shared by search's and train's help.</summary>
    private const string LanguageModelHelp = """
          --dataset ptb|text              Penn Treebank's ptb.{train,valid,test}.txt in <data>/ptb, or --text FILE
                                          (default ptb; text when --text is given)
          --text FILE                     any UTF-8 text: lower-cased words, <eos> per line, last 5 % + 5 % of lines
                                          held out for validation and test
          --vocab N                       vocabulary cap of --text, <unk> and <eos> included (default 10000)
          --train-tokens N                use the first N training tokens (default all)
          --hidden N                      embedding and hidden size (default 128)
          --bptt N                        truncated backpropagation window (default 35)
          --eval-batch-size N             columns of the validation and test streams (default 10)
          --untied                        a decoder of its own (default: tied to the embedding)
          --dropout-embedding X --dropout-input X --dropout-hidden X --dropout-output X   (default 0, 0.2, 0.1, 0.3)
          --ranking-windows N             validation windows each candidate is ranked on (default 20)
          --lr X                          SGD learning rate (default 20; gradient norm clipped at 0.25)
        """;

    private const string CompareHelp = """
        nascent compare --strategies enas,rsws [--seeds K] [--first-seed N] [--retrain-epochs N] [--retrain-subset N]
                        [--out DIR] [search options]

          Runs each strategy over seeds FIRST..FIRST+K-1 with the same search options (see nascent search --help),
          retrains every returned architecture the same way (nascent train, same epochs, data and seed), and compares
          the retrained test accuracies: mean ± std per strategy, Welch's t-test and the Mann-Whitney U test per pair.

          --strategies A,B[,C]            strategies to compare (default enas,rsws)
          --seeds K                       searches per strategy (default 3)
          --first-seed N                  (default 0)
          --retrain-epochs N              epochs of each retraining (default 1)
          --retrain-subset N              training images of each retraining (default all)
          --out DIR                       (default runs/<time>-compare; each search and retraining in a subfolder)
          --resume                        continue the comparison in --out: finished (strategy, seed) pairs are
                                          reused, unfinished ones run again (their old folder is renamed
                                          *.unfinished-<time>, not deleted); the options must be the same,
                                          except --seeds: more extend the comparison, fewer summarise its first
                                          seeds (it runs seed by seed, every strategy within a seed)
        """;

    private const string BenchHelp = """
        nascent bench --table FILE.csv [--table FILE2.csv] --objective COL [--report COL] [--cost COL]
                      --strategies rs,rea --queries N --seeds S [--out DIR]

          --table FILE.csv                a CSV with an 'arch' column and metric columns; repeat to join more files
          --space nb201|enas-micro        the space of the arch column (default nb201)
          --objective COL                 column to maximize
          --report COL                    column reported for each run's best architecture
          --cost COL[,COL]                cost columns (e.g. a latency column): recorded for every trial, and each run
                                          is scored by the hypervolume of what it evaluated (objective against the
                                          costs, reference point the table's worst values; also as a percentage of
                                          the whole table's front)
          --strategies LIST               comma-separated: rs (random search), rea (regularized evolution),
                                          reinforce (REINFORCE controller), nao (NAO), monas and dpp (device-aware,
                                          need --cost) (default rs,rea)
          --budget X --cost-weight W --cost-scale X --over-budget-reward X --dpp-keep K --dpp-epochs N
                                          device-aware options, as in nascent search --help; with --budget each
                                          strategy's best objective within the budget is reported too
          --queries N                     table lookups per run (default 150)
          --seeds S                       runs per strategy, seeds FIRST..FIRST+S-1 (default 100)
          --first-seed N                  (default 0)
          --checkpoints LIST              query counts reported in the table (default 50,100,150,300 up to N, and N)
          --baseline NAME                 strategy the others are tested against (default rs)
          --population N --sample-size N  regularized evolution (default 10, 3: NAS-Bench-201's settings)
          --nao-seed N --nao-new N --nao-top N --nao-epochs N   NAO (default 50, 25, 25, 100)
          --held-out N                    unevaluated table rows a learned predictor (nao, dpp) is scored on,
                                          Kendall's tau against the objective (default 1000)
          --time-column COL --time-budget SECONDS   end each run once its simulated training time is spent
          --threads N                     parallel runs (default: one per core)
          --out DIR                       run directory (default runs/<time>-bench)
          --quiet                         no progress bar

          Writes result.json (per strategy: best objective and report mean ± std, checkpoints, anytime curves, every
          seed's run; Welch's t-test against the baseline), summary.md, anytime.png and anytime_report.png.
        """;

    private const string TrainHelp = """
        nascent train (--arch "<architecture>" | --from RUN_DIR) [options]
        nascent train --model lstm (--text FILE | --dataset ptb) [language-model options]

          --arch TEXT                     architecture string (NAS-Bench-201 form for nb201)
          --from RUN_DIR                  train the best architecture of a search run (or an export folder of
                                          nascent export, or its architecture.json)
          --space nb201|enas-micro|enas-rnn|nao-rnn   space of --arch (default nb201, or the run's)
          --nodes N                       nodes per cell (enas-micro 5, enas-rnn and nao-rnn 8)
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

          Language models (--space enas-rnn|nao-rnn, or --model lstm for TorchSharp's LSTM; validation and test perplexity):
        """ + "\n" + LanguageModelHelp;

    /// <summary>Runs `nascent ARGS`: a command still parsed by hand gets the arguments after its name; any other is
    /// parsed by System.CommandLine. A parse error is one <see cref="NascentException"/> line (Program prints it, exit
    /// code 2), and a library message about a setting is reworded with the command's flag.</summary>
    public static int Run(string[] args, TextWriter output, TextWriter errors, CancellationToken cancellation)
    {
        var root = CommandLine.Create(new CommandContext(output, errors, cancellation));
        if (args.Length > 0 && root.Subcommands.OfType<LegacyCommand>().FirstOrDefault(c => c.Name == args[0]) is { } legacy)
        {
            try
            {
                return legacy.Run(args[1..]);
            }
            catch (NascentException e) when (e.Setting is { } setting && StrategyFlags.FlagOf(setting) is { } flag)
            {
                throw new NascentException(e.MessageFor("--" + flag), e); // the library names its setting; the user knows the flag
            }
        }
        var parse = root.Parse(args is ["help"] ? ["--help"] : args, CommandLine.Parsing);
        if (args.Length == 0 || parse.Action is HelpAction)
        {
            Help.Write(parse, output);
            return args.Length == 0 ? 2 : 0;
        }
        if (parse.Errors.Count > 0) throw new NascentException(ParseErrors.Describe(parse));
        try
        {
            return parse.Invoke(new InvocationConfiguration
            {
                Output = output, Error = errors, EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null,
            });
        }
        catch (NascentException e) when (parse.CommandResult.Command is NascentCommand command && command.FlagFor(e.Setting) is { } flag)
        {
            throw new NascentException(e.MessageFor(flag), e);
        }
    }

    internal static int Search(string[] args, CommandContext context)
    {
        bool help = args.Contains("--help") || args.Contains("-h");
        if (InstaNasCommands.IsSelected(args))
            return help ? WriteHelp(InstaNasCommands.SearchHelp, context)
                : InstaNasCommands.Search(new ArgumentReader(args), context.Output, context.Errors, context.Cancellation);
        return help ? WriteHelp(SearchHelp, context) : Search(new ArgumentReader(args), context.Output, context.Errors, context.Cancellation);
    }

    internal static int Compare(string[] args, CommandContext context) => args.Contains("--help") || args.Contains("-h")
        ? WriteHelp(CompareHelp, context) : Compare(new ArgumentReader(args), context.Output, context.Errors, context.Cancellation);

    internal static int Bench(string[] args, CommandContext context) => args.Contains("--help") || args.Contains("-h")
        ? WriteHelp(BenchHelp, context) : Bench(new ArgumentReader(args), context.Output, context.Errors, context.Cancellation);

    internal static int Train(string[] args, CommandContext context) => args.Contains("--help") || args.Contains("-h")
        ? WriteHelp(TrainHelp, context) : Train(new ArgumentReader(args), context.Output, context.Errors, context.Cancellation);

    private static int WriteHelp(string text, CommandContext context)
    {
        context.Output.WriteLine(text);
        return 0;
    }

    private static int Search(ArgumentReader a, TextWriter output, TextWriter errors, CancellationToken cancellation)
    {
        using var progress = Progress(a, errors);
        string? resume = a.String("resume");
        if (resume is not null && a.Unread.Count > 0)
            throw new NascentException($"--resume continues a run with the options it started with: drop --{a.Unread.First()}.");
        SearchConfig config;
        if (resume is null)
        {
            config = ReadSearchConfig(a, out var flags);
            config = config with { StrategyOptions = StrategyFlags.OptionsFor(config.Descriptor, flags, strict: true) };
        }
        else config = SearchExperiment.ReadStoredConfig(resume);
        a.EnsureAllRead("search");
        var result = SearchExperiment.Run(config, progress, cancellation, resume: resume is not null);
        output.WriteLine($"best architecture: {result.Best.Arch}");
        if (result.Table is { } table)
        {
            output.WriteLine($"{table.Objective} (objective): {Number(result.Best.ValAcc)}");
            if (table.Report is not null) output.WriteLine($"{table.Report} (report): {Number(result.Best.TestAcc ?? double.NaN)}");
            foreach (var (column, value) in result.Best.Costs ?? new Dictionary<string, double>())
                output.WriteLine($"{column} (cost): {Number(value)}");
            output.WriteLine($"queries: {table.Queries} on {result.Dataset["table:".Length..]} in {result.WallSeconds:F2} s" +
                (table.SimulatedSeconds is { } sim ? $" ({sim:F0} s of simulated training)" : ""));
            WritePareto(result, output);
            output.WriteLine($"run written to: {result.RunDirectory} (report.html)");
            return 0;
        }
        string how = config.IsWeightSharing ? "shared weights" : $"trained {config.Training.Epochs} epoch(s) from scratch";
        if (config.IsLanguageModel)
        {
            output.WriteLine($"validation perplexity: {Number(result.Best.Costs!["validation_perplexity"])} ({how}; objective 80/ppl = {Number(result.Best.ValAcc / 100)})");
            output.WriteLine($"parameters: {result.Best.Params:N0}");
            output.WriteLine($"trials: {result.Trials} ({result.FailedTrials} failed) in {result.WallSeconds:F1} s");
            output.WriteLine($"run written to: {result.RunDirectory}");
            output.WriteLine($"train it: nascent train --from {result.RunDirectory}");
            return 0;
        }
        output.WriteLine($"validation accuracy: {Percent(result.Best.ValAcc)} ({how})");
        output.WriteLine($"parameters: {result.Best.Params:N0}");
        foreach (var (cost, value) in result.Best.Costs ?? new Dictionary<string, double>())
            output.WriteLine($"{cost} (cost): {Number(value)}");
        WritePareto(result, output);
        output.WriteLine($"trials: {result.Trials} ({result.FailedTrials} failed) in {result.WallSeconds:F1} s");
        output.WriteLine($"run written to: {result.RunDirectory} (report.html)");
        output.WriteLine($"train it: nascent train --from {result.RunDirectory}");
        return 0;
    }

    private static void WritePareto(SearchResult result, TextWriter output)
    {
        if (result.Pareto is not { } pareto) return;
        if (pareto.Budget is { } budget)
            output.WriteLine(pareto.BestWithinBudget
                ? $"budget: {pareto.Costs[0]} <= {Number(budget)}, kept by {pareto.TrialsWithinBudget} evaluated architecture(s); the best of them is returned"
                : $"budget: {pareto.Costs[0]} <= {Number(budget)}, kept by no evaluated architecture; the cheapest is returned");
        output.WriteLine($"Pareto front: {pareto.Front.Count} architecture(s) of accuracy against {string.Join(", ", pareto.Costs)} " +
            $"(result.json; plot {pareto.Figure})");
    }

    private static int Compare(ArgumentReader a, TextWriter output, TextWriter errors, CancellationToken cancellation)
    {
        var d = new CompareConfig();
        var strategies = a.List("strategies");
        var config = new CompareConfig
        {
            Strategies = strategies.Count > 0 ? strategies : d.Strategies,
            Seeds = a.Int("seeds", 1) ?? d.Seeds,
            FirstSeed = a.Seed("first-seed") ?? d.FirstSeed,
            RetrainEpochs = a.Int("retrain-epochs", 1) ?? d.RetrainEpochs,
            RetrainSubset = a.Int("retrain-subset", 1),
            Out = a.String("out"),
            Resume = a.Flag("resume"),
        };
        var search = ReadSearchConfig(a, out var flags);
        config = config with
        {
            Search = search,
            StrategyOptions = OptionsOf(config.Strategies, flags),
        };
        using var progress = ProgressRenderer.For(a.Flag("quiet"), false, errors);
        a.EnsureAllRead("compare");
        var result = CompareExperiment.Run(config, progress, cancellation);
        output.WriteLine($"{"strategy",-12} {"retrained test acc",20} {"search val acc",18} {"search s",9}");
        foreach (var s in result.Summaries)
            output.WriteLine($"{s.Strategy,-12} {s.TestAccMean,11:F2} ± {s.TestAccStd,5:F2} {s.SearchValAccMean,9:F2} ± {s.SearchValAccStd,5:F2} {s.SearchSecondsMean,9:F0}");
        foreach (var t in result.Tests)
            output.WriteLine($"{t.A} - {t.B}: {t.MeanDifference:+0.00;-0.00} points, Welch p = {(t.WelchP is { } p ? p.ToString("G3", CultureInfo.InvariantCulture) : "n/a")}, " +
                $"Mann-Whitney U = {t.MannWhitneyU:F1}, p = {t.MannWhitneyP.ToString("G3", CultureInfo.InvariantCulture)}");
        output.WriteLine($"{result.Seeds} seed(s) per strategy in {result.WallSeconds:F0} s; run written to: {result.RunDirectory}");
        return 0;
    }

    /// <summary>Where progress goes: bars on standard error, JSON lines there with --json-progress, nowhere with --quiet.</summary>
    private static ProgressRenderer? Progress(ArgumentReader a, TextWriter errors)
    {
        bool quiet = a.Flag("quiet"), json = a.Flag("json-progress");
        if (quiet && json) throw new NascentException("--quiet and --json-progress exclude each other: choose one.");
        return ProgressRenderer.For(quiet, json, errors);
    }

    /// <summary>The search options shared by `search` and `compare`; <paramref name="flags"/> are the strategy flags
    /// given, which the caller turns into options of the strategies it runs.</summary>
    private static SearchConfig ReadSearchConfig(ArgumentReader a, out IReadOnlyDictionary<StrategyFlags.Flag, string?> flags)
    {
        var d = new SearchConfig();
        var tables = a.Occurrences("table");
        bool tabular = tables.Count > 0;
        string? objective = a.String("objective"), report = a.String("report"), timeColumn = a.String("time-column");
        var costs = a.List("cost");
        double? timeBudget = a.Double("time-budget");
        int? queries = a.Int("queries", 1);
        bool tableOptions = objective is not null || report is not null || timeColumn is not null
            || timeBudget is not null || queries is not null;
        if (!tabular && tableOptions)
            throw new NascentException("--objective, --report, --queries and --time-budget belong to a tabular search: add --table FILE.csv.");
        string? dataset = a.String("dataset"), dataDir = a.String("data-dir");
        int? epochs = a.Int("epochs", 1), subset = a.Int("train-subset", 0), validation = a.Int("validation-size", 1),
            candidates = a.Int("candidates", 1), ranking = a.Int("ranking-images", 1), finalTop = a.Int("final-top", 1),
            channels = a.Int("channels", 1), cells = a.Int("cells", 1), batch = a.Int("batch-size", 1),
            rewardImages = a.Int("reward-images", 1);
        double? lr = a.Double("lr");
        flags = StrategyFlags.Read(a);
        bool trainingOptions = dataset is not null || dataDir is not null
            || new object?[] { epochs, subset, validation, candidates, ranking, finalTop, channels, cells, batch, lr, rewardImages }.Any(v => v is not null)
            || flags.Keys.Any(f => f.Record == typeof(ControllerOptions) && f.Name != "lstm-size" || f.Record == typeof(MemoryBufferOptions));
        if (tabular && trainingOptions)
            throw new NascentException("A tabular search (--table) trains nothing: drop the data and training options " +
                "(--dataset, --epochs, --candidates, ...); use --queries for the number of lookups.");
        string space = a.String("space") ?? d.Space;
        return new SearchConfig
        {
            Space = space,
            Language = ReadLanguageModelSettings(a),
            Nodes = a.Int("nodes", 1) ?? d.Nodes,
            Strategy = a.String("strategy") ?? (tabular ? RandomSearch.Descriptor.Name : d.Strategy),
            Data = new DataSettings
            {
                Dataset = dataset, DataDir = dataDir, TrainSubset = subset == 0 ? null : subset ?? d.Data.TrainSubset,
                ValidationSize = validation ?? d.Data.ValidationSize,
            },
            Training = new TrainingSettings
            {
                Epochs = epochs ?? d.Training.Epochs, BatchSize = batch ?? d.Training.BatchSize, LearningRate = lr,
                Channels = channels ?? d.Training.Channels, Cells = cells ?? d.Training.Cells,
            },
            Candidates = candidates ?? d.Candidates,
            WeightSharing = new WeightSharingOptions
            {
                RankingImages = ranking ?? d.WeightSharing.RankingImages, FinalTop = finalTop ?? d.WeightSharing.FinalTop,
                RewardImages = rewardImages ?? d.WeightSharing.RewardImages,
            },
            Seed = a.Seed("seed") ?? d.Seed,
            Out = a.String("out"),
            LatencyTable = a.String("latency-table"),
            Table = tabular ? new TableSettings
            {
                Tables = tables, Objective = objective, Report = report, TimeColumn = timeColumn, TimeBudget = timeBudget,
                Queries = queries ?? new TableSettings().Queries,
            } : null,
            Costs = costs.Count > 0 ? costs : null,
            Budget = a.Double("budget"),
            CheckpointEvery = a.Int("checkpoint-every", 0),
        };
    }

    /// <summary>Each named strategy's options: its defaults with the strategy flags given that apply to it; a flag
    /// that applies to none of them is a mistake.</summary>
    private static IReadOnlyDictionary<string, IStrategyOptions> OptionsOf(IEnumerable<string> strategies,
        IReadOnlyDictionary<StrategyFlags.Flag, string?> flags)
    {
        var descriptors = strategies.Select(StrategyCatalog.Get).ToArray();
        var stray = flags.Keys.FirstOrDefault(f => !descriptors.Any(d => StrategyFlags.Holds(d.OptionsType, f.Record)));
        if (stray is not null)
            throw new NascentException($"--{stray.Name} applies to none of {string.Join(", ", descriptors.Select(d => d.Name))}.");
        return descriptors.ToDictionary(d => d.Name, d => StrategyFlags.OptionsFor(d, flags, strict: false));
    }

    /// <summary>The language-model options of a recurrent cell space (search and train).</summary>
    private static LanguageModelSettings ReadLanguageModelSettings(ArgumentReader a)
    {
        var d = new LanguageModelSettings();
        return new LanguageModelSettings
        {
            TextFile = a.String("text"),
            VocabularyCap = a.Int("vocab", 3) ?? d.VocabularyCap,
            TrainTokens = a.Int("train-tokens", 2),
            Hidden = a.Int("hidden", 1) ?? d.Hidden,
            Bptt = a.Int("bptt", 1) ?? d.Bptt,
            EvalBatchSize = a.Int("eval-batch-size", 1) ?? d.EvalBatchSize,
            TieWeights = !a.Flag("untied"),
            DropoutEmbedding = a.Double("dropout-embedding") ?? d.DropoutEmbedding,
            DropoutInput = a.Double("dropout-input") ?? d.DropoutInput,
            DropoutHidden = a.Double("dropout-hidden") ?? d.DropoutHidden,
            DropoutOutput = a.Double("dropout-output") ?? d.DropoutOutput,
            RankingWindows = a.Int("ranking-windows", 1) ?? d.RankingWindows,
            Model = a.String("model") ?? d.Model,
        };
    }

    private static int Bench(ArgumentReader a, TextWriter output, TextWriter errors, CancellationToken cancellation)
    {
        var d = new BenchConfig();
        var strategies = a.List("strategies");
        var checkpoints = a.List("checkpoints");
        var config = new BenchConfig
        {
            Table = new TableSettings
            {
                Tables = a.Occurrences("table"), Objective = a.String("objective"), Report = a.String("report"),
                TimeColumn = a.String("time-column"), TimeBudget = a.Double("time-budget"),
                Queries = a.Int("queries", 1) ?? d.Table.Queries,
            },
            Space = a.String("space") ?? d.Space,
            Nodes = a.Int("nodes", 1) ?? d.Nodes,
            Costs = a.List("cost"),
            Budget = a.Double("budget"),
            Strategies = strategies.Count > 0 ? strategies : d.Strategies,
            Seeds = a.Int("seeds", 1) ?? d.Seeds,
            FirstSeed = a.Seed("first-seed") ?? d.FirstSeed,
            Checkpoints = checkpoints.Count > 0 ? checkpoints.Select(c => int.TryParse(c, NumberStyles.Integer, CultureInfo.InvariantCulture, out int q) ? q
                : throw new NascentException($"Option --checkpoints needs whole numbers (got '{c}').")).ToArray() : null,
            Baseline = a.String("baseline") ?? d.Baseline,
            HeldOut = a.Int("held-out", 0) ?? d.HeldOut,
            Threads = a.Int("threads", 1),
            Out = a.String("out"),
        };
        config = config with { StrategyOptions = OptionsOf(config.Strategies, StrategyFlags.Read(a)) };
        using var progress = ProgressRenderer.For(a.Flag("quiet"), false, errors);
        a.EnsureAllRead("bench");
        var result = TabularHarness.Run(config, progress, cancellation);
        output.Write(TabularHarness.FormatTable(result));
        output.WriteLine($"{result.Strategies.Count} strategies x {result.Seeds} seeds x {result.Queries} queries: " +
            $"table loaded in {result.LoadSeconds:F2} s, searches in {result.SearchSeconds:F2} s on {result.Threads} thread(s), {result.WallSeconds:F2} s in all");
        output.WriteLine($"run written to: {result.RunDirectory} (result.json, summary.md, {string.Join(", ", result.Figures)})");
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
            Data = new DataSettings
            {
                Dataset = a.String("dataset"), DataDir = a.String("data-dir"), TrainSubset = a.Int("train-subset", 1),
                ValidationSize = a.Int("validation-size", 1) ?? d.Data.ValidationSize,
            },
            Training = new TrainingSettings
            {
                Epochs = a.Int("epochs", 1) ?? d.Training.Epochs, BatchSize = a.Int("batch-size", 1) ?? d.Training.BatchSize,
                LearningRate = a.Double("lr") ?? d.Training.LearningRate, Channels = a.Int("channels", 1) ?? d.Training.Channels,
                Cells = a.Int("cells", 1) ?? d.Training.Cells,
            },
            Seed = a.Seed("seed") ?? d.Seed,
            Out = a.String("out"),
            Language = ReadLanguageModelSettings(a),
        };
        using var progress = ProgressRenderer.For(a.Flag("quiet"), false, errors);
        a.EnsureAllRead("train");
        var result = TrainExperiment.Run(config, progress, cancellation);
        if (result.Best.Costs?.ContainsKey("test_perplexity") == true)
        {
            var c = result.Best.Costs;
            output.WriteLine($"model: {result.Best.Arch}");
            output.WriteLine($"test perplexity: {Number(c["test_perplexity"])}");
            output.WriteLine($"validation perplexity: {Number(c["validation_perplexity"])}");
            output.WriteLine($"parameters: {result.Best.Params:N0}");
            output.WriteLine($"training throughput: {c["tokens_per_second"]:F0} tokens/s");
            output.WriteLine($"time: {result.WallSeconds:F1} s");
            output.WriteLine($"run written to: {result.RunDirectory}");
            return 0;
        }
        output.WriteLine($"architecture: {result.Best.Arch}");
        output.WriteLine($"test accuracy: {Percent(result.Best.TestAcc ?? double.NaN)}");
        output.WriteLine($"validation accuracy: {Percent(result.Best.ValAcc)}");
        output.WriteLine($"parameters: {result.Best.Params:N0}");
        foreach (var (cost, value) in result.Best.Costs ?? new Dictionary<string, double>())
            output.WriteLine($"{cost} (cost): {Number(value)}");
        WritePareto(result, output);
        output.WriteLine($"time: {result.WallSeconds:F1} s");
        output.WriteLine($"run written to: {result.RunDirectory}");
        return 0;
    }

    private static string Percent(double value) => value.ToString("F2", CultureInfo.InvariantCulture) + " %";

    private static string Number(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);
}
