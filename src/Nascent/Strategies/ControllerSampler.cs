using System.Numerics;

namespace Nascent.Strategies;

/// <summary>
/// A frozen copy of an <see cref="LstmController"/>'s weights in managed arrays that samples architectures without
/// TorchSharp. Sampling needs no gradients, and at the controller's size (an LSTM of 64 units) the work per decision
/// is about 35,000 multiply-adds (an LSTM step of 64 units and the attention), microseconds of vector code, far less
/// than the overhead of the dozen small native calls the torch forward
/// makes per decision: on the 40-decision ENAS micro space this is the difference between 7.75 ms and 0.66 ms
/// per sample (docs/BENCHMARKS.md). It runs exactly the forward of <see cref="LstmController.Run"/>
/// (the tests check both give the same log-probability and hidden states for the same choices); take a new snapshot
/// after every change of the controller's weights.
/// </summary>
public sealed class ControllerSampler
{
    private readonly LstmController.Layout _layout;
    private readonly ControllerOptions _options;
    private readonly SearchSpace _space;
    private readonly int _size;
    private readonly float[][] _weightIh, _weightHh, _bias;   // per layer: [4H x H] row-major, [4H x H], b_ih + b_hh
    private readonly float[] _start;
    private readonly Dictionary<string, float[]> _embeddings; // per signature: [options x H]
    private readonly Dictionary<string, (float[] Weight, float[] Bias)> _heads;
    private readonly float[] _anchorWeight, _queryWeight, _vector;
    private readonly double[]? _firstCellBias;               // added to operation logits after the bound, first cell

    internal ControllerSampler(LstmController.Layout layout, ControllerOptions options, SearchSpace space, double[]? firstCellBias,
        float[][] weightIh, float[][] weightHh, float[][] bias, float[] start, Dictionary<string, float[]> embeddings,
        Dictionary<string, (float[] Weight, float[] Bias)> heads, float[] anchorWeight, float[] queryWeight, float[] vector)
    {
        _layout = layout;
        _options = options;
        _space = space;
        _firstCellBias = firstCellBias;
        _size = options.LstmSize;
        _weightIh = weightIh;
        _weightHh = weightHh;
        _bias = bias;
        _start = start;
        _embeddings = embeddings;
        _heads = heads;
        _anchorWeight = anchorWeight;
        _queryWeight = queryWeight;
        _vector = vector;
    }

    /// <summary>Samples one architecture's choices with <paramref name="random"/>, or takes the most probable
    /// option at each decision when <paramref name="greedy"/>; <paramref name="forced"/> fixes the first
    /// <paramref name="forcedPrefix"/> choices (all of them when the prefix is negative).</summary>
    public SampledChoices Run(SeededRandom? random = null, bool greedy = false, IReadOnlyList<int>? forced = null, int forcedPrefix = -1)
    {
        int count = _space.Decisions.Count, h = _size;
        if (forced is not null && forcedPrefix < 0) forcedPrefix = count;
        if (forcedPrefix < count && random is null && !greedy) throw new ArgumentException("Sampling needs a random generator.");
        var choices = new int[count];
        var hidden = new float[count][];
        var decisionLogProbabilities = new double[count];
        int layers = _weightIh.Length;
        var hState = new float[layers][];
        var cState = new float[layers][];
        for (int l = 0; l < layers; l++) { hState[l] = new float[h]; cState[l] = new float[h]; }
        var gates = new float[4 * h];
        var anchors = new List<float[]>();
        var anchorKeys = new List<float[]>();
        var query = new float[h];
        double logProbability = 0, entropy = 0;
        float[] input = _start;

        float[] Step(float[] x)
        {
            for (int l = 0; l < layers; l++)
            {
                LstmStep(l, x, hState[l], cState[l], gates);
                x = hState[l];
            }
            return (float[])x.Clone();
        }

        for (int i = 0; i < count; i++)
        {
            var decision = _space.Decisions[i];
            if (_layout.HasInputs && _layout.StartsGroup[i])
            {
                anchors.Clear();
                anchorKeys.Clear();
                input = _start;
                for (int k = 0; k < _layout.CellInputs[i]; k++)
                {
                    var h0 = Step(input);
                    anchors.Add(new float[h]);
                    anchorKeys.Add(MatVec(_anchorWeight, h0, h, new float[h]));
                }
            }
            var top = Step(input);
            hidden[i] = top;
            var logits = new double[decision.Count];
            double tanhConstant = _options.TanhConstant;
            if (decision.Kind == DecisionKind.Input)
            {
                MatVec(_queryWeight, top, h, query);
                for (int o = 0; o < logits.Length; o++)
                {
                    var key = anchorKeys[o];
                    double sum = 0;
                    for (int k = 0; k < h; k++) sum += _vector[k] * MathF.Tanh(key[k] + query[k]);
                    logits[o] = sum;
                }
            }
            else
            {
                var (weight, bias) = _heads[_layout.Signatures[i]];
                for (int o = 0; o < logits.Length; o++) logits[o] = Dot(weight, o * h, top, h) + bias[o];
                tanhConstant /= _options.OpTanhReduce;
            }
            var prefix = new ArraySegment<int>(choices, 0, i);
            double max = double.NegativeInfinity;
            for (int o = 0; o < logits.Length; o++)
            {
                if (_options.Temperature > 0) logits[o] /= _options.Temperature;
                if (tanhConstant > 0) logits[o] = tanhConstant * Math.Tanh(logits[o]);
                if (_firstCellBias is not null && decision.Kind == DecisionKind.Operation && _layout.InFirstGroup[i]) logits[o] += (float)_firstCellBias[o];
                if (!_space.IsAllowed(i, o, prefix)) logits[o] = double.NegativeInfinity;
                max = Math.Max(max, logits[o]);
            }
            double total = 0;
            for (int o = 0; o < logits.Length; o++) total += Math.Exp(logits[o] - max);
            double logTotal = max + Math.Log(total);
            var probabilities = new double[logits.Length];
            for (int o = 0; o < logits.Length; o++)
            {
                probabilities[o] = Math.Exp(logits[o] - logTotal);
                if (probabilities[o] > 0) entropy -= probabilities[o] * (logits[o] - logTotal);
            }
            int choice = i < forcedPrefix ? forced![i] : Choose(probabilities, random, greedy);
            choices[i] = choice;
            decisionLogProbabilities[i] = logits[choice] - logTotal;
            logProbability += decisionLogProbabilities[i];
            if (decision.Kind == DecisionKind.Input) input = anchors[choice];
            else
            {
                input = new float[h];
                Array.Copy(_embeddings[_layout.Signatures[i]], choice * h, input, 0, h);
            }
            if (_layout.HasInputs && _layout.EndsNode[i])
            {
                var anchor = Step(input);
                anchors.Add(anchor);
                anchorKeys.Add(MatVec(_anchorWeight, anchor, h, new float[h]));
                input = _start;
            }
        }
        return new SampledChoices(choices, logProbability, entropy, hidden, decisionLogProbabilities);
    }

    /// <summary>Draws an option from <paramref name="probabilities"/> with one uniform number (the same draw the
    /// torch forward makes), or takes the most probable one.</summary>
    internal static int Choose(IReadOnlyList<double> probabilities, SeededRandom? random, bool greedy)
    {
        if (greedy || random is null)
        {
            int best = 0;
            for (int k = 1; k < probabilities.Count; k++) if (probabilities[k] > probabilities[best]) best = k;
            return best;
        }
        double u = random.NextDouble() * probabilities.Sum(), accumulated = 0;
        int last = -1;
        for (int k = 0; k < probabilities.Count; k++)
        {
            if (probabilities[k] <= 0) continue;
            last = k;
            accumulated += probabilities[k];
            if (u < accumulated) return k;
        }
        return last;
    }

    /// <summary>One LSTM cell step of layer <paramref name="layer"/> (PyTorch's gate order i, f, g, o), updating
    /// its hidden state <paramref name="hPrev"/> and cell state <paramref name="c"/> in place.</summary>
    private void LstmStep(int layer, float[] x, float[] hPrev, float[] c, float[] gates)
    {
        int h = _size;
        for (int r = 0; r < 4 * h; r++)
            gates[r] = Dot(_weightIh[layer], r * h, x, h) + Dot(_weightHh[layer], r * h, hPrev, h) + _bias[layer][r];
        for (int k = 0; k < h; k++)
        {
            float inputGate = Sigmoid(gates[k]), forgetGate = Sigmoid(gates[h + k]);
            float cellGate = MathF.Tanh(gates[2 * h + k]), outputGate = Sigmoid(gates[3 * h + k]);
            c[k] = forgetGate * c[k] + inputGate * cellGate;
            hPrev[k] = outputGate * MathF.Tanh(c[k]);
        }
    }

    private static float Sigmoid(float x) => 1f / (1f + MathF.Exp(-x));

    private static float[] MatVec(float[] matrix, float[] x, int columns, float[] result)
    {
        for (int r = 0; r < result.Length; r++) result[r] = Dot(matrix, r * columns, x, columns);
        return result;
    }

    private static float Dot(float[] matrix, int offset, float[] x, int length)
    {
        var row = new ReadOnlySpan<float>(matrix, offset, length);
        var vector = new ReadOnlySpan<float>(x, 0, length);
        int k = 0;
        var sum = Vector<float>.Zero;
        for (; k <= length - Vector<float>.Count; k += Vector<float>.Count)
            sum += new Vector<float>(row.Slice(k)) * new Vector<float>(vector.Slice(k));
        float total = Vector.Sum(sum);
        for (; k < length; k++) total += row[k] * vector[k];
        return total;
    }
}

/// <summary>One managed run of the controller: the choices, the summed log-probability and entropy of the
/// distributions they came from, the top LSTM layer's hidden state at each decision, and each choice's
/// log-probability given the choices before it.</summary>
public sealed record SampledChoices(int[] Choices, double LogProbability, double Entropy, float[][] Hidden,
    double[] DecisionLogProbabilities);
