using Nascent.Experiments.Execution;
using Nascent.Experiments.Search;

namespace Nascent.Cli;

/// <summary>`nascent search`: a search over a space, trained (weight sharing or from scratch) or looked up in a table
/// (--table); `--resume RUN_DIR` continues one. `--strategy instanas` is its own command
/// (<see cref="InstaNasSearchCommand"/>).</summary>
internal static class SearchCommand
{
    public const string Summary = "search a space for the best architecture (default: RSWS on MNIST, a few minutes; with --table, " +
        "over a tabular benchmark in a second)";

    private sealed record RunSettings
    {
        [Setting("continue a run that was stopped or killed, with the options it started with: finished trials are kept " +
                 "(read back, not run again), trials that were running are run again; the result is the one the run would have given")]
        public string? Resume { get; init; }
        [Setting("no progress, only the final summary")]
        public bool Quiet { get; init; }
        [Setting("progress as one JSON object per line on standard error (docs/RESULTS.md)")]
        public bool JsonProgress { get; init; }
        [Setting("worker processes to start on this machine (nascent worker), the cores split between them; 0: this process evaluates (one-at-a-time strategies)", Min = 0)]
        public int Workers { get; init; }
        [Setting("pause before each evaluation, in milliseconds: a stand-in for work in benchmarks and tests (changes no result)", Min = 0)]
        public int DelayMs { get; init; }
    }

    public static NascentCommand Create(CommandContext context)
    {
        var command = new NascentCommand("search", Summary)
        {
            Details = $"""
                nascent search [options]
                nascent search --table FILE.csv [--table FILE2.csv] --objective COL [--report COL] [--cost COL] [--strategy NAME] [--queries N]
                nascent search --resume RUN_DIR [--workers N] [--quiet | --json-progress]
                nascent search ... --batch N [--async] [--workers N]

                A tabular search (--table) looks each trial up: it takes no data or training options. A device-aware search
                (--cost; monas and dpp need it) returns the Pareto front of what it evaluated (result.json, pareto.png).
                Language models: --space enas-rnn|nao-rnn, on --dataset ptb or --text FILE.
                Workers (one-at-a-time strategies): --batch N asks N trials before telling any and tells them in trial order,
                so the result depends only on N and the seed, with any number of --workers (0: this process evaluates them)
                and after any kill and --resume. --async tells each result as it finishes: faster, NOT reproducible.

                {StrategyList()}
                """,
        };
        var run = new SettingOptions<RunSettings>(
            ("--resume RUN_DIR", nameof(RunSettings.Resume)),
            ("--quiet", nameof(RunSettings.Quiet)),
            ("--json-progress", nameof(RunSettings.JsonProgress)),
            ("--workers N", nameof(RunSettings.Workers)),
            ("--delay-ms MS", nameof(RunSettings.DelayMs)));
        var search = new SearchOptions(withOut: true);
        search.AddTo(command);
        command.Add(run);
        command.SetAction(parse =>
        {
            var r = run.Bind(parse);
            using var progress = Commands.Progress(r.Quiet, r.JsonProgress, context.Errors);
            SearchConfig config;
            if (r.Resume is { } resume)
            {
                var other = parse.CommandResult.Children.OfType<System.CommandLine.Parsing.OptionResult>()
                    .FirstOrDefault(o => !o.Implicit && !run.Options.Contains(o.Option));
                if (other is not null)
                    throw new NascentException($"--resume continues a run with the options it started with: drop {other.Option.Name}.");
                config = SearchExperiment.ReadStoredConfig(resume);
            }
            else
            {
                config = search.Bind(parse);
                config = config with { StrategyOptions = search.Strategies.OptionsFor(config.Descriptor, config.Space, parse, strict: true) };
            }
            var execution = new SearchExecution
            {
                Workers = r.Workers, DelayMilliseconds = r.DelayMs,
                StartWorker = (run, i) => WorkerCommand.StartInfo(run, config.Store, i, r.Workers, r.DelayMs),
            };
            var result = SearchExperiment.Run(config, progress, context.Cancellation, resume: r.Resume is not null, execution);
            Summaries.WriteSearch(config, result, context.Output);
            return 0;
        });
        return command;
    }

    /// <summary>Every strategy of the catalog with its summary, by kind.</summary>
    public static string StrategyList()
    {
        var text = new System.Text.StringBuilder("Strategies (--strategy NAME):");
        foreach (var (kind, heading) in new[]
                 {
                     (StrategyKind.WeightSharing, "over a weight-sharing supernet"),
                     (StrategyKind.OneAtATime, "one candidate at a time (trained from scratch, or looked up with --table)"),
                     (StrategyKind.PerInstance, "an architecture per input (its own options: nascent search --strategy NAME --help)"),
                 })
        {
            text.Append($"\n  {heading}:");
            foreach (var d in StrategyCatalog.All.Where(d => d.Kind == kind))
            {
                string name = d.Aliases.Count > 0 ? $"{d.Name} ({string.Join(", ", d.Aliases)})" : d.Name;
                var notes = new List<string>();
                if (d.Spaces is not null && d.Kind != StrategyKind.PerInstance) notes.Add($"{d.SpacesText} only");
                if (d.NeedsCost) notes.Add("needs --cost");
                text.Append($"\n    {name,-16} ");
                text.Append(Wrap($"{d.Summary}{(notes.Count > 0 ? $" ({string.Join("; ", notes)})" : "")}", Help.Width - 2 - 21, new string(' ', 21)));
            }
        }
        return text.ToString();
    }

    /// <summary><paramref name="text"/> in lines of at most <paramref name="width"/> characters, each after the first
    /// led by <paramref name="indent"/>.</summary>
    private static string Wrap(string text, int width, string indent)
    {
        var lines = new List<string> { "" };
        foreach (var word in text.Split(' '))
        {
            if (lines[^1].Length > 0 && lines[^1].Length + 1 + word.Length > width) lines.Add("");
            lines[^1] += (lines[^1].Length > 0 ? " " : "") + word;
        }
        return string.Join("\n" + indent, lines);
    }
}
