namespace Nascent.Strategies;

/// <summary>
/// The ENAS controller and its REINFORCE training. The record's defaults are ENAS's micro (CNN cell) search, the
/// paper's main one, read from melodyguan/enas (scripts/cifar10_micro_search.sh, src/cifar10/main.py,
/// src/cifar10/micro_controller.py, src/utils.py; line numbers at that repository's head). <see cref="ForSpace"/>
/// gives the official settings of each space: ENAS micro (<see cref="EnasMicro"/>: these defaults plus its operation
/// biases), ENAS's recurrent cell (<see cref="EnasRnn"/>, scripts/ptb_search.sh) and NAS-Bench-201's own ENAS
/// baseline (<see cref="Nb201"/>, D-X-Y/AutoDL-Projects). Deviations from the official code, each measured or argued
/// in docs/ARCHITECTURE.md ("ENAS controller"): the controller's weights start uniform in [-0.1, 0.1] everywhere
/// (as ENAS's TensorFlow initializer; AutoDL leaves PyTorch's default on the head's bias); gradients of a batch of
/// samples are averaged, as ENAS's SyncReplicasOptimizer and AutoDL's loss / num_aggregate both do.
/// </summary>
public sealed record ControllerOptions : IStrategyOptions
{
    /// <summary>64: src/cifar10/main.py:153 (lstm_size=64).</summary>
    [Setting("controller LSTM units", Min = 1)]
    public int LstmSize { get; init; } = 64;

    /// <summary>1: src/cifar10/main.py:154 (lstm_num_layers=1).</summary>
    [Setting("controller LSTM layers", Min = 1)]
    public int LstmLayers { get; init; } = 1;

    /// <summary>Logits are divided by this before the tanh bound; 0 or less: not used. None in ENAS's micro search:
    /// cifar10_micro_search.sh gives no --controller_temperature and src/cifar10/main.py:75 defaults it to None.</summary>
    [Setting("logits are divided by it before the tanh bound; 0: none")]
    public double Temperature { get; init; }

    /// <summary>Logits become c * tanh(logits); 0 or less: not used. 1.10: cifar10_micro_search.sh:36.</summary>
    [Setting("logits become c * tanh(logits); 0: unbounded")]
    public double TanhConstant { get; init; } = 1.10;

    /// <summary>Operation logits use TanhConstant / OpTanhReduce. 2.5: cifar10_micro_search.sh:37
    /// (micro_controller.py:182).</summary>
    [Setting("operation logits use the tanh constant divided by this", Min = 0, MinExclusive = true)]
    public double OpTanhReduce { get; init; } = 2.5;

    /// <summary>1e-4: cifar10_micro_search.sh:30; added to the reward (micro_controller.py:237-238).</summary>
    [Setting("entropy bonus in the reward", Min = 0)]
    public double EntropyWeight { get; init; } = 1e-4;

    /// <summary>0.99: src/cifar10/main.py:72 (the script leaves --controller_bl_dec at its default); the baseline is
    /// updated before the advantage is formed (micro_controller.py:241-247).</summary>
    [Setting("moving-average decay of the reward baseline", Min = 0, Max = 1, MaxExclusive = true)]
    public double BaselineDecay { get; init; } = 0.99;

    /// <summary>0.0035: cifar10_micro_search.sh:35, never decayed (main.py:161, lr_dec_every=1000000).</summary>
    [Setting("controller Adam learning rate", Min = 0, MinExclusive = true)]
    public double LearningRate { get; init; } = 0.0035;

    /// <summary>Adam's β1. 0: src/utils.py:218 (tf.train.AdamOptimizer(lr, beta1=0.0, epsilon=1e-3)), a plain RMS
    /// step without momentum.</summary>
    [Setting("controller Adam beta1", Min = 0, Max = 1, MaxExclusive = true)]
    public double AdamBeta1 { get; init; }

    /// <summary>Adam's β2. 0.999: TensorFlow's default, which src/utils.py:218 leaves.</summary>
    [Setting("controller Adam beta2", Min = 0, Max = 1, MaxExclusive = true)]
    public double AdamBeta2 { get; init; } = 0.999;

    /// <summary>Adam's ε. 1e-3: src/utils.py:218.</summary>
    [Setting("controller Adam epsilon", Min = 0, MinExclusive = true)]
    public double AdamEpsilon { get; init; } = 1e-3;

    /// <summary>Largest gradient norm of an update; 0: no clipping. None in ENAS's micro search (micro_controller.py
    /// clip_mode=None, which main.py does not set).</summary>
    [Setting("largest controller gradient norm; 0: no clipping", Min = 0)]
    public double GradientClipNorm { get; init; }

    /// <summary>Sampled architectures whose REINFORCE gradients are averaged into one update. 10:
    /// cifar10_micro_search.sh:32-33 (--controller_sync_replicas, --controller_num_aggregate=10).</summary>
    [Setting("sampled architectures per controller update", Min = 1)]
    public int SamplesPerUpdate { get; init; } = 10;

    /// <summary>Controller updates after each supernet epoch. 30: cifar10_micro_search.sh:34
    /// (--controller_train_steps=30, --controller_train_every=1).</summary>
    [Setting("controller updates after each supernet epoch", Min = 0)]
    public int UpdatesPerEpoch { get; init; } = 30;

    /// <summary>Initial value of the learnable bias of the operation heads, one per option; empty: uniform like
    /// every other weight. ENAS micro: [10, 10, 0, 0, 0] (micro_controller.py:100-104), so through the tanh bound the
    /// two separable convolutions start favoured.</summary>
    public IReadOnlyList<double> OperationBiasInit { get; init; } = [];

    /// <summary>A constant added to the operation logits after the tanh bound, in the first cell of the space only;
    /// empty: none. ENAS micro: [0.25, 0.25, -0.25, -0.25, -0.25] in the normal cell (micro_controller.py:106-109 and
    /// 184-185; the first sampler, the normal cell's, is built with use_bias=True at line 79).</summary>
    public IReadOnlyList<double> FirstCellOperationBias { get; init; } = [];

    /// <summary>ENAS micro, as cifar10_micro_search.sh runs it: the record's defaults with the operation biases of
    /// micro_controller.py for its operation order (sep_conv_3x3, sep_conv_5x5, avg_pool_3x3, max_pool_3x3, identity:
    /// the order of micro_child.py's branches, which <see cref="EnasMicroSpace"/> keeps).</summary>
    public static ControllerOptions EnasMicro { get; } = new()
    {
        OperationBiasInit = [10, 10, 0, 0, 0],
        FirstCellOperationBias = [0.25, 0.25, -0.25, -0.25, -0.25],
    };

    /// <summary>ENAS's recurrent-cell search (scripts/ptb_search.sh, src/ptb/main.py, src/ptb/ptb_enas_controller.py):
    /// LSTM of 100 units, 1 layer (ptb/main.py:145-146); tanh constant 2.5 (ptb_search.sh:36) on activation logits
    /// too (ptb_enas_controller.py has no operation reduction); temperature 5 (ptb_search.sh:37); entropy weight 1e-3
    /// (:38); learning rate 0.001 (:32); 10 samples an update (:35), 100 updates an epoch (:34); baseline decay 0.99
    /// (ptb/main.py:72); the same Adam (src/utils.py:218). Not reproduced: the attention's distance penalty and the
    /// input rescaling of ptb_enas_controller.py:127-128 and 143-144.</summary>
    public static ControllerOptions EnasRnn { get; } = new()
    {
        LstmSize = 100, LstmLayers = 1, TanhConstant = 2.5, OpTanhReduce = 1, Temperature = 5, EntropyWeight = 1e-3,
        LearningRate = 0.001, SamplesPerUpdate = 10, UpdatesPerEpoch = 100,
    };

    /// <summary>NAS-Bench-201's ENAS baseline (D-X-Y/AutoDL-Projects): the controller of
    /// xautodl/models/cell_searchs/search_model_enas_utils.py:13-21 (LSTM 32 x 2 layers, tanh constant 2.5 and
    /// temperature 5 on every operation logit, lines 56-57), Adam at 0.001 with betas (0, 0.999) and eps 0.001
    /// (configs/nas-benchmark/algos/ENAS.config; exps/NAS-Bench-201-algos/ENAS.py:313-317), gradient norm clipped at
    /// 5 (ENAS.py:169), entropy weight 1e-4, baseline decay 0.99, 50 updates of 20 samples each an epoch
    /// (scripts-search/NAS-Bench-201-algos/ENAS.sh:43-46). An operation can reach p = 0.97 there; under ENAS micro's
    /// bound (1.1 / 2.5) no operation of five can pass 0.376.</summary>
    public static ControllerOptions Nb201 { get; } = new()
    {
        LstmSize = 32, LstmLayers = 2, TanhConstant = 2.5, OpTanhReduce = 1, Temperature = 5, LearningRate = 0.001,
        AdamBeta1 = 0, AdamBeta2 = 0.999, AdamEpsilon = 1e-3, GradientClipNorm = 5, EntropyWeight = 1e-4,
        BaselineDecay = 0.99, SamplesPerUpdate = 20, UpdatesPerEpoch = 50,
    };

    /// <summary>The official ENAS settings for <paramref name="space"/> (a <see cref="SpaceCatalog"/> name): see
    /// <see cref="EnasMicro"/>, <see cref="EnasRnn"/>, <see cref="Nb201"/>; any other space gets the record's
    /// defaults.</summary>
    public static ControllerOptions ForSpace(string space) => space switch
    {
        "enas-micro" => EnasMicro,
        "nb201" => Nb201,
        _ when SpaceCatalog.IsRecurrent(space) => EnasRnn,
        _ => new ControllerOptions(),
    };

    /// <summary>
    /// REINFORCE as NAS-Bench-201 (Dong and Yang 2020) runs it, with this controller: one update per sample, baseline
    /// momentum 0.9, no temperature or tanh bound (ENAS's bounded logits keep exploring by design, which a budget of a
    /// few hundred queries cannot afford). Learning rate 0.003: the best of 0.01, 0.003, 0.001 over 100 seeds on the
    /// NAS-Bench-201 table (docs/BENCHMARKS.md); 0.01 collapses early, 0.001 learns too slowly for 150 queries. Adam
    /// with PyTorch's defaults (β 0.9, 0.999, ε 1e-8), as AutoDL-Projects builds it (exps/NAS-Bench-201-algos/reinforce.py:164).
    /// </summary>
    public static ControllerOptions Reinforce { get; } = new()
    {
        SamplesPerUpdate = 1, BaselineDecay = 0.9, LearningRate = 0.003, Temperature = 0, TanhConstant = 0, EntropyWeight = 0,
        AdamBeta1 = 0.9, AdamBeta2 = 0.999, AdamEpsilon = 1e-8,
    };

    public void Validate() => Settings.Validate(this);

    /// <summary>Checks the operation biases against <paramref name="space"/>: each list has one value per option of
    /// every operation decision it applies to.</summary>
    public void ValidateFor(SearchSpace space)
    {
        Validate();
        Check(OperationBiasInit, nameof(OperationBiasInit), space.Decisions);
        Check(FirstCellOperationBias, nameof(FirstCellOperationBias), space.Decisions.Where(d => d.Group == space.Decisions[0].Group));

        static void Check(IReadOnlyList<double> bias, string setting, IEnumerable<Decision> decisions)
        {
            if (bias.Count == 0) return;
            var wrong = decisions.FirstOrDefault(d => d.Kind == DecisionKind.Operation && d.Count != bias.Count);
            if (wrong is not null)
                throw NascentException.ForSetting(Settings.KeyOf(typeof(ControllerOptions), setting),
                    $"{{setting}} has {bias.Count} values but decision '{wrong.Name}' has {wrong.Count} options: give one value per option, or none.");
        }
    }
}
