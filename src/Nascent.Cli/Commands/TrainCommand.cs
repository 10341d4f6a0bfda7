using Nascent.Experiments.Train;

namespace Nascent.Cli;

/// <summary>`nascent train`: one architecture trained from scratch (from a string, a search run or an export), or the
/// LSTM baseline of a language model (<see cref="TrainExperiment"/>).</summary>
internal static class TrainCommand
{
    private sealed record RunSettings
    {
        [Setting("no progress bars")]
        public bool Quiet { get; init; }
    }

    public static NascentCommand Create(CommandContext context)
    {
        var command = new NascentCommand("train", "train one architecture from scratch and report its test accuracy")
        {
            Details = """
                nascent train (--arch "<architecture>" | --from RUN_DIR) [options]
                nascent train --model lstm (--text FILE | --dataset ptb) [language-model options]

                The data set is the run's when --from names one (else mnist; ptb or text for recurrent cells). A recurrent
                cell (--space enas-rnn|nao-rnn) or --model lstm reports validation and test perplexity.
                """,
        };
        var d = new TrainConfig();
        var train = new SettingOptions<TrainConfig>(
            ("--arch TEXT", nameof(TrainConfig.Arch)),
            ("--from RUN_DIR", nameof(TrainConfig.From)),
            ("--space NAME", nameof(TrainConfig.Space)),
            ("--nodes N", nameof(TrainConfig.Nodes)),
            ("--seed N", nameof(TrainConfig.Seed)),
            ("--out DIR", nameof(TrainConfig.Out)));
        var data = SearchOptions.DataOptions(d.Data, zeroMeansAll: false);
        var training = SearchOptions.TrainingOptions(d.Training);
        var language = LanguageOptions.Create();
        var run = new SettingOptions<RunSettings>(("--quiet", nameof(RunSettings.Quiet)));
        command.Add(train);
        command.Add(data);
        command.Add(training);
        command.Add(run);
        command.Add(language);
        command.SetAction(parse =>
        {
            var config = train.Bind(parse) with { Data = data.Bind(parse), Training = training.Bind(parse), Language = language.Bind(parse) };
            using var progress = context.Progress(run.Bind(parse).Quiet);
            var result = TrainExperiment.Run(config, progress, context.Cancellation);
            Summaries.WriteTrain(result, context.Output);
            return 0;
        });
        return command;
    }
}
