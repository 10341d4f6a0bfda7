namespace Nascent.Experiments.InstaNasSearch;

/// <summary>
/// Classifies with a trained InstaNAS: the controller's thresholded policy picks each image's modules, the meta-graph
/// runs only those. Accuracy comes from the whole test set (batched; the same function image by image, since both
/// networks are in eval mode); latency from <see cref="PerImageLatency"/>, each image alone at batch 1 through the
/// controller, the threshold and its own modules, as a deployed model would run, interleaved with the networks it is
/// compared with.
/// </summary>
public static class InstaNasInference
{
    /// <summary><c>nascent infer --run RUN_DIR</c>: rebuilds a finished run's meta-graph and controller from its
    /// config.json, metagraph.dat and controller.dat, classifies the test set and times images one by one; writes
    /// infer.json and infer_module_usage.png in the run directory.</summary>
    public static InferResult Infer(string runDirectory, string? dataDirectory, int? timingImages, IProgress<ProgressEvent>? progress)
    {
        string path = Path.GetFullPath(runDirectory);
        string metaGraphFile = Path.Combine(path, InstaNasExperiment.MetaGraphFile), controllerFile = Path.Combine(path, InstaNasExperiment.ControllerFile);
        if (!File.Exists(metaGraphFile) || !File.Exists(controllerFile))
            throw new Core.NascentException($"{path} holds no finished InstaNAS run ({InstaNasExperiment.MetaGraphFile} and {InstaNasExperiment.ControllerFile} " +
                "are written at the end of 'nascent search --strategy instanas').");
        var config = RunDirectory.ReadJson<InstaNasConfig>(Path.Combine(path, "config.json"));
        var table = RunDirectory.ReadJson<ModuleLatencyTable>(Path.Combine(path, InstaNasExperiment.LatencyTableFile));
        if (dataDirectory is not null) config = config with { Data = config.Data with { DataDir = dataDirectory } };
        using var data = DatasetLoader.Load(config.DataOptions(), progress);
        using var metaGraph = new InstaNasNetwork(config.MetaGraph(data.Test));
        using var controller = config.CreateController(data.Test.Channels, metaGraph.Blocks.Count);
        Load(metaGraph, metaGraphFile);
        Load(controller, controllerFile);
        var candidate = InstaNasCandidate(metaGraph, controller, table, data.Test, config.BatchSize, out var masks);
        var figures = Time([candidate], data.Test, timingImages ?? config.TimingImages, config.TimingRounds)[0].Figures;
        using (masks)
        {
            Plots.InstaNasPlots.WriteModuleUsage(Path.Combine(path, "infer_module_usage.png"),
                InstaNasExperiment.UsagePerClass(masks, data.Test), metaGraph.Blocks.Count);
        }
        var result = new InferResult("infer", path, config.Dataset, data.Test.Count, figures);
        RunDirectory.Create(path, "infer").WriteJson("infer.json", result);
        return result;
    }

    private static void Load(TorchSharp.torch.nn.Module module, string file)
    {
        try
        {
            module.load(file);
        }
        catch (Exception e) when (e is ArgumentException or IOException or InvalidOperationException)
        {
            throw new Core.NascentException($"{file} does not fit the run's meta-graph ({e.Message}): was the run's config.json changed?");
        }
    }

    /// <summary>The controller's thresholded policies on <paramref name="images"/>, batch by batch (eval mode, no
    /// gradients): how many predictions are right, and the modules each image runs, [N, blocks, modules].</summary>
    public static (long Correct, Tensor EffectiveMasks) Classify(InstaNasNetwork metaGraph, InstaNasPolicyNetwork controller,
        Tensor images, Tensor labels, int batchSize)
    {
        metaGraph.eval();
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var masks = new List<Tensor>();
        long correct = 0;
        for (long start = 0; start < images.shape[0]; start += batchSize)
        {
            long length = Math.Min(batchSize, images.shape[0] - start);
            var x = images.narrow(0, start, length);
            var policy = controller.Thresholded(x);
            correct += metaGraph.ForwardMasked(x, policy).argmax(1).eq(labels.narrow(0, start, length)).sum().item<long>();
            masks.Add(metaGraph.EffectiveMasks(policy));
        }
        return (correct, cat(masks, 0).MoveToOuterDisposeScope());
    }

    /// <summary>A network to compare, before timing: its test accuracy, the latency the module table predicts, its
    /// selection (a fixed one) or number of distinct per-image selections, and its whole inference on one image.</summary>
    public sealed record Candidate(string Name, double TestAccuracy, double PredictedLatencyMs, string? Selection, int? DistinctSelections,
        Func<Tensor, Tensor> Classify);

    /// <summary>InstaNAS on the test set: accuracy, and the modules each image runs (<paramref name="effectiveMasks"/>,
    /// [N, blocks, modules]); its inference for timing is the controller, the threshold and the selected modules.</summary>
    public static Candidate InstaNasCandidate(InstaNasNetwork metaGraph, InstaNasPolicyNetwork controller, ModuleLatencyTable table,
        ImageDataset test, int batchSize, out Tensor effectiveMasks)
    {
        long correct;
        (correct, effectiveMasks) = Classify(metaGraph, controller, test.Images, test.Labels, batchSize);
        var modulesMs = table.ModulesMs(effectiveMasks).data<float>().Select(v => (double)v).ToArray();
        return new Candidate(InstaNas.Descriptor.Name, 100.0 * correct / test.Count,
            table.FixedMs + table.ControllerMs + Statistics.Mean(modulesMs), null, DistinctSelections(effectiveMasks),
            image => metaGraph.Forward(image, metaGraph.ToMatrix(controller.Thresholded(image))));
    }

    /// <summary>A network of one selection for every image, on the test set.</summary>
    public static Candidate FixedCandidate(string name, InstaNasNetwork metaGraph, Spaces.Architecture selection,
        ModuleLatencyTable table, ImageDataset test, int batchSize)
    {
        var matrix = metaGraph.ToMatrix(selection);
        var (accuracy, _) = Training.Accuracy.Measure(metaGraph, x => metaGraph.Forward(x, matrix), test.Images, test.Labels, batchSize);
        metaGraph.eval();
        return new Candidate(name, accuracy, table.PredictMs(metaGraph, selection), selection.ToString(), null, image => metaGraph.Forward(image, matrix));
    }

    /// <summary>Times the candidates together, interleaved image by image (<see cref="PerImageLatency"/>), and gives
    /// each one's figures with its per-image latencies.</summary>
    public static IReadOnlyList<(InstaNasFigures Figures, NetworkTiming Timing)> Time(IReadOnlyList<Candidate> candidates,
        ImageDataset test, int timingImages, int rounds)
    {
        var timings = PerImageLatency.Measure(candidates.Select(c => (c.Name, c.Classify)).ToArray(), test, timingImages, rounds);
        return candidates.Zip(timings, (c, t) => (new InstaNasFigures(c.Name, c.TestAccuracy, t.MeanMs, Statistics.Median(t.LatenciesMs),
            Statistics.Quantile(t.LatenciesMs, 0.9), c.PredictedLatencyMs, t.LatenciesMs.Length, c.Selection, c.DistinctSelections,
            t.SpreadMs, t.RoundMeansMs), t)).ToArray();
    }

    /// <summary>How many different selections the rows of [N, blocks, modules] masks make.</summary>
    public static int DistinctSelections(Tensor masks)
    {
        using var flat = masks.flatten(1).to_type(ScalarType.Byte);
        var bytes = flat.data<byte>().ToArray();
        int width = (int)flat.shape[1];
        return Enumerable.Range(0, (int)flat.shape[0]).Select(i => Convert.ToBase64String(bytes, i * width, width)).Distinct().Count();
    }
}
