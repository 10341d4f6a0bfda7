namespace Nascent.Spaces;

/// <summary>
/// The selections of an InstaNAS meta-graph: for every block, whether each of its candidate modules runs (one
/// on/off decision per (block, module), as the InstaNAS controller's Bernoulli outputs). A block with no module on
/// passes its input through, or, where the block changes shape, runs its default module (InstaNAS does the same).
/// String form: the blocks separated by <c>|</c>, each the names of its modules that are on joined by <c>+</c>, or
/// <c>-</c> for none, e.g. <c>ir3e6+basic|-|ir5e3</c>.
/// </summary>
public sealed class InstaNasSpace : SearchSpace
{
    /// <summary>The candidate modules of every block, InstaNAS's five (AnjieCheng/InstaNAS search/models/instanas.py:126-136):
    /// inverted residuals of kernel 3 or 5 and expansion 3 or 6, and the BasicBlock (two full 3 x 3 convolutions), which is
    /// also the default where a block changes shape. InstaNAS numbers them ir3e6, ir3e3, ir5e6, ir5e3, basic.</summary>
    public static readonly IReadOnlyList<string> Modules = ["ir3e3", "ir3e6", "ir5e3", "ir5e6", BasicModuleName];

    public const string BasicModuleName = "basic";

    /// <summary>The module that runs when a shape-changing block has none selected: the BasicBlock (instanas.py:67, 99).</summary>
    public const int DefaultModule = 4;

    /// <summary>MobileNetV2's module, ir3e6: InstaNAS's latency baseline sums it over the blocks (instanas.py:164-165).</summary>
    public const int MobileNetV2Module = 1;

    private static readonly IReadOnlyList<string> OnOff = ["off", "on"];

    public InstaNasSpace(int blocks) : base(CreateDecisions(blocks)) => Blocks = blocks;

    public int Blocks { get; }

    public int ModulesPerBlock => Modules.Count;

    public override string Name => "instanas";

    private static Decision[] CreateDecisions(int blocks)
    {
        if (blocks < 1) throw new NascentException($"An InstaNAS meta-graph needs at least one block (got {blocks}).");
        return Enumerable.Range(0, blocks)
            .SelectMany(b => Modules.Select(m => new Decision($"block {b} {m}", DecisionKind.Operation, OnOff, $"block {b}", b)))
            .ToArray();
    }

    /// <summary>Whether module <paramref name="module"/> of block <paramref name="block"/> is on.</summary>
    public static bool IsOn(Architecture architecture, int block, int module) =>
        architecture[block * Modules.Count + module] == 1;

    /// <summary>Every module of every block on: the full meta-graph.</summary>
    public Architecture Full => Create(Enumerable.Repeat(1, Decisions.Count).ToArray());

    /// <summary>No module on: each block passes its input through or runs its default (the cheapest selection).</summary>
    public Architecture Empty => Create(new int[Decisions.Count]);

    /// <summary>The MobileNetV2-like selection: ir3e6 in every block.</summary>
    public Architecture MobileNetV2 => Everywhere(MobileNetV2Module);

    /// <summary>Module <paramref name="module"/> in every block and nothing else.</summary>
    public Architecture Everywhere(int module) =>
        Create(Enumerable.Range(0, Decisions.Count).Select(d => d % Modules.Count == module ? 1 : 0).ToArray());

    public override string Format(Architecture architecture)
    {
        var blocks = new string[Blocks];
        for (int b = 0; b < Blocks; b++)
        {
            var on = Enumerable.Range(0, Modules.Count).Where(m => IsOn(architecture, b, m)).Select(m => Modules[m]).ToArray();
            blocks[b] = on.Length == 0 ? "-" : string.Join("+", on);
        }
        return string.Join("|", blocks);
    }

    public override Architecture Parse(string text)
    {
        string Fail(string why) => throw new NascentException(
            $"Cannot parse InstaNAS selection '{text}': {why} (expected {Blocks} blocks separated by '|', each modules joined by '+' or '-', e.g. {Format(Full)}).");
        var blocks = text.Trim().Split('|');
        if (blocks.Length != Blocks) Fail($"{blocks.Length} blocks, expected {Blocks}");
        var choices = new int[Decisions.Count];
        for (int b = 0; b < Blocks; b++)
        {
            if (blocks[b] == "-") continue;
            foreach (var name in blocks[b].Split('+'))
            {
                int m = IndexOf(name);
                if (m < 0) Fail($"unknown module '{name}' in block {b} (known: {string.Join(", ", Modules)})");
                if (choices[b * Modules.Count + m] == 1) Fail($"module '{name}' twice in block {b}");
                choices[b * Modules.Count + m] = 1;
            }
        }
        return Create(choices);
    }

    private static int IndexOf(string name)
    {
        for (int m = 0; m < Modules.Count; m++) if (Modules[m] == name) return m;
        return -1;
    }

    /// <summary>A chain: input, then per block the modules that are on (each fed by the previous block's sum) and
    /// the block's sum node; a block with none on is a single pass-through node.</summary>
    public override ArchitectureGraph ToGraph(Architecture architecture)
    {
        var labels = new List<string> { "input" };
        var edges = new List<(int, int)>();
        int previous = 0;
        for (int b = 0; b < Blocks; b++)
        {
            var moduleNodes = new List<int>();
            for (int m = 0; m < Modules.Count; m++)
            {
                if (!IsOn(architecture, b, m)) continue;
                labels.Add(Modules[m]);
                edges.Add((previous, labels.Count - 1));
                moduleNodes.Add(labels.Count - 1);
            }
            labels.Add(b == Blocks - 1 ? "output" : moduleNodes.Count == 0 ? "pass" : "add");
            int sum = labels.Count - 1;
            if (moduleNodes.Count == 0) edges.Add((previous, sum));
            foreach (var node in moduleNodes) edges.Add((node, sum));
            previous = sum;
        }
        return new ArchitectureGraph(labels, edges);
    }
}
