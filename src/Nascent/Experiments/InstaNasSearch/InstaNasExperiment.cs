using Nascent.Plots;

namespace Nascent.Experiments.InstaNasSearch;

/// <summary>
/// An InstaNAS search, start to end (<c>nascent search --strategy instanas</c>):
/// 1. one-shot training of the meta-graph on random per-image selections (oneshot.dat);
/// 2. the module latency table of this machine (latency_table.json);
/// 3. the search: each epoch, one epoch of controller steps (<see cref="InstaNas.Step"/>) under the curriculum's
///    latency bounds, then one epoch of fine-tuning the meta-graph on the controller's sampled policies
///    (instanas_curve.csv), then <see cref="InstaNasConfig.FinetuneEpochs"/> of fine-tuning the meta-graph on the
///    controller's thresholded policies (metagraph.dat and controller.dat at the end);
/// 4. the baselines, from the same one-shot weights and fine-tuned for as many epochs in all: the full meta-graph, the
///    fastest fixed selection whose one-shot validation accuracy is within <see cref="InstaNasConfig.EqualAccuracyPoints"/>
///    of the full meta-graph's (every candidate is a trial in trials.db), and the MobileNetV2-like selection;
/// 5. test accuracy, and the measured per-image latency of all four timed together, interleaved image by image
///    (result.json, latency_histogram.png, module_usage.png, report.html).
/// </summary>
public static class InstaNasExperiment
{
    public const string OneShotFile = "oneshot.dat", MetaGraphFile = "metagraph.dat", ControllerFile = "controller.dat", FixedFile = "fixed.dat",
        LatencyTableFile = "latency_table.json", CurveFile = "instanas_curve.csv";

    // Numbers are written with the invariant culture: the project sets InvariantGlobalization.
    public static InstaNasResult Run(InstaNasConfig config, IProgress<ProgressEvent>? progress = null, CancellationToken cancellation = default)
    {
        config.Validate();
        var clock = Stopwatch.StartNew();
        var run = RunDirectory.Create(config.Out, "search");
        run.WriteJson("config.json", config with { Out = run.Path });
        using var data = DatasetLoader.Load(config.DataOptions(), progress);
        manual_seed((long)(config.Seed & long.MaxValue));
        var graph = config.MetaGraph(data.Train);
        using var metaGraph = new InstaNasNetwork(graph);
        using var controller = config.CreateController(data.Train.Channels, metaGraph.Blocks.Count);
        var space = metaGraph.Space;

        progress.Message($"instanas: one-shot training of the meta-graph ({metaGraph.Blocks.Count} blocks x {InstaNasSpace.Modules.Count} modules), " +
            $"{config.PretrainEpochs} epochs, every module on for the first half, then each on with a probability falling to {config.KeepProbability} per image");
        using (var generator = new Generator(config.Seed ^ 0x9E3779B97F4A7C15UL))
        {
            Train(metaGraph, data.Train, config, config.PretrainEpochs, config.Seed, progress, "one-shot", (images, epoch) =>
                bernoulli(full([images.shape[0], metaGraph.Blocks.Count, InstaNasSpace.Modules.Count], config.PretrainKeepProbability(epoch)), generator),
                cancellation);
        }
        metaGraph.save(run.File(OneShotFile));

        var table = ModuleLatencyTable.Measure(metaGraph, controller, data.Train.Height, data.Train.Width, new LatencyOptions());
        run.WriteJson(LatencyTableFile, table);
        var baselines = table.Baselines(metaGraph);
        progress.Message(($"instanas: module latency (ms, batch 1, {table.Threads} threads): all modules {baselines.Max:F3}, " +
            $"MobileNetV2-like {baselines.MobileNetV2:F3}, cheapest {baselines.Min:F3}; stem+head {table.FixedMs:F3}, controller {table.ControllerMs:F3}"));

        using (var instaNas = new InstaNas(controller, config.Controller, config.Seed))
            Search(instaNas, metaGraph, table, baselines, data, config, run, progress, cancellation);
        if (config.FinetuneEpochs > 0)
        {
            progress.Message($"instanas: fine-tuning the meta-graph on the controller's policies for {config.FinetuneEpochs} epochs (controller fixed)");
            Train(metaGraph, data.Train, config, config.FinetuneEpochs, config.Seed + 5, progress, "policy fine-tune",
                (images, _) => controller.Thresholded(images), cancellation);
        }
        metaGraph.save(run.File(MetaGraphFile));
        controller.save(run.File(ControllerFile));
        int baselineEpochs = config.Epochs + config.FinetuneEpochs; // as many as the meta-graph had after one-shot training

        using var fullNetwork = OneShot(graph, run);
        progress.Message($"instanas: fine-tuning the full meta-graph for {baselineEpochs} epochs (baseline)");
        var fullMatrix = fullNetwork.ToMatrix(space.Full);
        Train(fullNetwork, data.Train, config, baselineEpochs, config.Seed + 2, progress, "full", null, cancellation, x => fullNetwork.Forward(x, fullMatrix));

        using var fixedNetwork = OneShot(graph, run);
        var fixedSelection = FastestFixed(fixedNetwork, table, data, config, run, progress, cancellation);
        progress.Message($"instanas: fine-tuning the fixed selection {fixedSelection} for {baselineEpochs} epochs (baseline)");
        var fixedMatrix = fixedNetwork.ToMatrix(fixedSelection);
        Train(fixedNetwork, data.Train, config, baselineEpochs, config.Seed + 2, progress, "fixed", null, cancellation, x => fixedNetwork.Forward(x, fixedMatrix));
        fixedNetwork.save(run.File(FixedFile)); // the fixed baseline's own weights, for nascent export --format onnx

        using var mobileNetwork = OneShot(graph, run);
        progress.Message($"instanas: fine-tuning the MobileNetV2-like selection (ir3e6 in every block) for {baselineEpochs} epochs (baseline)");
        var mobileMatrix = mobileNetwork.ToMatrix(space.MobileNetV2);
        Train(mobileNetwork, data.Train, config, baselineEpochs, config.Seed + 2, progress, "mobilenetv2", null, cancellation, x => mobileNetwork.Forward(x, mobileMatrix));

        progress.Message($"instanas: test accuracy, then per-image latency of the four networks interleaved ({config.TimingImages} images at batch 1, {config.TimingRounds} rounds)");
        var candidates = new List<InstaNasInference.Candidate>
        {
            InstaNasInference.FixedCandidate("full", fullNetwork, space.Full, table, data.Test, config.BatchSize),
            InstaNasInference.FixedCandidate("fixed", fixedNetwork, fixedSelection, table, data.Test, config.BatchSize),
            InstaNasInference.FixedCandidate(MobileNetV2Name, mobileNetwork, space.MobileNetV2, table, data.Test, config.BatchSize),
            InstaNasInference.InstaNasCandidate(metaGraph, controller, table, data.Test, config.BatchSize, out var masks),
        };
        using (masks)
        {
            var timed = InstaNasInference.Time(candidates, data.Test, config.TimingImages, config.TimingRounds);
            var (fullFigures, fixedFigures, mobileFigures, insta) = (timed[0].Figures, timed[1].Figures, timed[2].Figures, timed[3].Figures);
            InstaNasPlots.WriteLatencyHistogram(run.File(LatencyHistogramFile), timed[3].Timing.LatenciesMs,
                [("full meta-graph", fullFigures.MeanLatencyMs), ("fastest fixed selection as accurate", fixedFigures.MeanLatencyMs),
                    ("MobileNetV2-like", mobileFigures.MeanLatencyMs)]);
            InstaNasPlots.WriteModuleUsage(run.File(ModuleUsageFile), UsagePerClass(masks, data.Test), metaGraph.Blocks.Count);
            var comparisons = timed.Take(3).Select(t => Compare(timed[3], t)).ToArray();
            var mobile = comparisons[2];
            var result = new InstaNasResult("search", InstaNas.Descriptor.Name, config.Dataset, config.Seed, fullFigures, fixedFigures, insta,
                comparisons[0].LatencyCutPercent, comparisons[0].AccuracyChangePoints,
                mobile.LatencyDiffers && mobile.LatencyCutPercent >= 30 && mobile.AccuracyChangePoints >= -0.5,
                get_num_threads(), clock.Elapsed.TotalSeconds, run.Path, mobileFigures, comparisons);
            run.WriteJson("result.json", result);
            Reports.InstaNasReport.Write(run.Path);
            return result;
        }
    }

    public const string MobileNetV2Name = "mobilenetv2", LatencyHistogramFile = "latency_histogram.png", ModuleUsageFile = "module_usage.png";

    /// <summary>InstaNAS against one timed network: the cut is called a difference only beyond the timing's spread.</summary>
    private static InstaNasComparison Compare((InstaNasFigures Figures, NetworkTiming Timing) insta, (InstaNasFigures Figures, NetworkTiming Timing) other) =>
        new(other.Figures.Name, 100 * (1 - insta.Figures.MeanLatencyMs / other.Figures.MeanLatencyMs),
            insta.Figures.TestAccuracy - other.Figures.TestAccuracy, NetworkTiming.Differs(insta.Timing, other.Timing));

    /// <summary>Step 3: the controller and meta-graph epochs, with the curriculum's bounds; one curve row per epoch.</summary>
    private static void Search(InstaNas instaNas, InstaNasNetwork metaGraph, ModuleLatencyTable table,
        (double Max, double Min, double MobileNetV2) baselines, DataSplits data, InstaNasConfig config, RunDirectory run,
        IProgress<ProgressEvent>? progress, CancellationToken cancellation)
    {
        var controllerBatches = new BatchSampler(data.Train, config.BatchSize, config.Seed + 1, dropLast: true);
        var fineTuneBatches = new BatchSampler(data.Train, config.BatchSize, config.Seed + 2);
        using var trainer = new Trainer(metaGraph, config.Training(config.Epochs), (long)config.Epochs * fineTuneBatches.BatchesPerEpoch);
        var curve = new StringBuilder("epoch,lower_ms,upper_ms,reward,sampled_accuracy,sampled_latency_ms,mean_probability," +
            "validation_accuracy,validation_latency_ms,distinct_selections\n");
        for (int epoch = 0; epoch < config.Epochs; epoch++)
        {
            var (lower, upper) = instaNas.Bounds(config.Epochs == 1 ? 1 : (double)epoch / (config.Epochs - 1), baselines);
            var steps = new List<InstaNasStep>();
            metaGraph.eval();
            var bar = new ProgressReporter(progress, $"controller {epoch + 1}/{config.Epochs}", controllerBatches.BatchesPerEpoch, "step");
            foreach (var (images, labels) in controllerBatches.RestOfEpoch())
            {
                cancellation.ThrowIfCancellationRequested();
                using var scope = NewDisposeScope();
                steps.Add(instaNas.Step(images, labels, masks => metaGraph.ForwardMasked(images, masks),
                    masks => table.ModulesMs(metaGraph.EffectiveMasks(masks)), lower, upper));
                bar.Advance();
            }
            bar = new ProgressReporter(progress, $"fine-tune {epoch + 1}/{config.Epochs}", fineTuneBatches.BatchesPerEpoch, "step");
            foreach (var (images, labels) in fineTuneBatches.RestOfEpoch())
            {
                cancellation.ThrowIfCancellationRequested();
                using var scope = NewDisposeScope();
                var policies = instaNas.SampleShuffled(images);
                trainer.Step(images, labels, x => metaGraph.ForwardMasked(x, policies));
                bar.Advance();
            }
            if (config.RecalibrationImages > 0)
            {
                var calibration = new BatchSampler(data.Train, config.BatchSize, config.Seed + 4 + (ulong)epoch);
                int count = (config.RecalibrationImages + config.BatchSize - 1) / config.BatchSize;
                metaGraph.RecalibrateBatchNorm(Enumerable.Range(0, count).Select(_ =>
                {
                    var (images, _) = calibration.Next();
                    return (images, instaNas.Controller.Thresholded(images));
                }));
            }
            var (accuracy, latency, distinct) = Validate(metaGraph, instaNas.Controller, table, data.Validation, config);
            double reward = steps.Average(s => s.Reward), sampledAccuracy = steps.Average(s => s.Accuracy);
            double sampledLatency = steps.Average(s => s.LatencyMs), probability = steps.Average(s => s.MeanProbability);
            curve.AppendLine(($"{epoch},{lower:R},{upper:R},{reward:R},{sampledAccuracy:R},{sampledLatency:R},{probability:R},{accuracy:R},{latency:R},{distinct}"));
            File.WriteAllText(run.File(CurveFile), curve.ToString());
            progress.Message(($"instanas: epoch {epoch + 1}/{config.Epochs}: bounds {lower:F3}-{upper:F3} ms, reward {reward:F2}, " +
                $"validation {accuracy:F2} % at {latency:F3} ms of modules per image, {distinct} distinct selections"));
            progress?.Report(new EpochFinished(InstaNas.Descriptor.Name, epoch + 1, config.Epochs));
        }
    }

    /// <summary>Validation accuracy of the thresholded policies, their mean module latency, and how many distinct
    /// selections they make.</summary>
    private static (double Accuracy, double LatencyMs, int Distinct) Validate(InstaNasNetwork metaGraph,
        InstaNasPolicyNetwork controller, ModuleLatencyTable table, ImageDataset validation, InstaNasConfig config)
    {
        using var scope = NewDisposeScope();
        var (images, labels) = validation.Slice(0, Math.Min(config.RankingImages, validation.Count));
        var (correct, effective) = InstaNasInference.Classify(metaGraph, controller, images, labels, config.BatchSize);
        double latency = table.ModulesMs(effective).sum().item<float>();
        return (100.0 * correct / images.shape[0], latency / images.shape[0], InstaNasInference.DistinctSelections(effective));
    }

    /// <summary>Step 4's search: the full selection, the five "same module in every block" selections, then random
    /// selections whose density is itself drawn uniformly from [0.1, 0.9], scored on the one-shot weights; the
    /// fastest (by the table) within the accuracy margin of the full meta-graph wins.</summary>
    private static Architecture FastestFixed(InstaNasNetwork network, ModuleLatencyTable table, DataSplits data,
        InstaNasConfig config, RunDirectory run, IProgress<ProgressEvent>? progress, CancellationToken cancellation)
    {
        var space = network.Space;
        var random = new SeededRandom(config.Seed + 3);
        var candidates = new List<Architecture> { space.Full };
        for (int m = 0; m < InstaNasSpace.Modules.Count; m++)
            candidates.Add(space.Everywhere(m));
        while (candidates.Count < config.FixedCandidates + 1 + InstaNasSpace.Modules.Count)
        {
            double density = 0.1 + 0.8 * random.NextDouble();
            var candidate = space.Create(Enumerable.Range(0, space.Decisions.Count).Select(_ => random.NextDouble() < density ? 1 : 0).ToArray());
            if (!candidates.Contains(candidate)) candidates.Add(candidate);
        }
        using var store = new TrialStore(run.File(TrialStore.FileName));
        var runner = new TrialRunner(store, progress);
        // The same first training images re-estimate every candidate's batch-norm statistics (none with --recalibrate-images 0).
        int calibrationImages = Math.Min(config.RecalibrationImages, data.Train.Count);
        var calibration = Enumerable.Range(0, (calibrationImages + config.BatchSize - 1) / config.BatchSize)
            .Select(k => data.Train.Slice(k * config.BatchSize, Math.Min(config.BatchSize, calibrationImages - k * config.BatchSize)).Images)
            .ToList();
        var evaluator = new MetaGraphEvaluator(network, table, data.Validation, config.RankingImages, config.BatchSize, calibration);
        progress.Message($"instanas: scoring {candidates.Count} fixed selections on the one-shot weights ({config.RankingImages} validation images each)");
        var trials = candidates.Select(c => runner.Run(c, evaluator, TrialPhase.Fixed, null, cancellation)).ToList();
        double threshold = trials[0].Measured.Accuracy - config.EqualAccuracyPoints;
        return trials.Where(t => t.Status == TrialStatus.Done && t.Measured.Accuracy >= threshold)
            .MinBy(t => t.Measured.LatencyMs)!.Architecture; // the full selection itself always qualifies
    }

    /// <summary>Trains a meta-graph for some epochs with SGD (cosine schedule), each batch under the per-image
    /// policies <paramref name="policies"/> draws, or through <paramref name="forward"/>.</summary>
    private static void Train(InstaNasNetwork network, ImageDataset train, InstaNasConfig config, int epochs, ulong seed,
        IProgress<ProgressEvent>? progress, string label, Func<Tensor, int, Tensor>? policies, CancellationToken cancellation,
        Func<Tensor, Tensor>? forward = null)
    {
        var batches = new BatchSampler(train, config.BatchSize, seed);
        using var trainer = new Trainer(network, config.Training(epochs), (long)epochs * batches.BatchesPerEpoch);
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            var bar = new ProgressReporter(progress, $"{label} {epoch + 1}/{epochs}", batches.BatchesPerEpoch, "step");
            foreach (var (images, labels) in batches.RestOfEpoch())
            {
                cancellation.ThrowIfCancellationRequested();
                using var scope = NewDisposeScope();
                var masks = policies?.Invoke(images, epoch);
                trainer.Step(images, labels, forward ?? (x => network.ForwardMasked(x, masks!)));
                bar.Advance();
            }
        }
    }

    private static InstaNasNetwork OneShot(MetaGraphOptions graph, RunDirectory run)
    {
        var network = new InstaNasNetwork(graph);
        network.load(run.File(OneShotFile));
        return network;
    }

    /// <summary>[class, block * modules]: the fraction of each class's images that run each module.</summary>
    internal static double[,] UsagePerClass(Tensor effectiveMasks, ImageDataset test)
    {
        using var scope = NewDisposeScope();
        var flat = effectiveMasks.flatten(1);
        var usage = new double[test.Classes, flat.shape[1]];
        for (int c = 0; c < test.Classes; c++)
        {
            var rows = test.Labels.eq(c).nonzero().flatten();
            if (rows.shape[0] == 0) continue;
            var mean = flat.index_select(0, rows).mean([0]).data<float>().ToArray();
            for (int k = 0; k < mean.Length; k++) usage[c, k] = mean[k];
        }
        return usage;
    }
}
