using Nascent.Costs;
using Nascent.Evaluation;
using Nascent.Objectives;
using Nascent.Spaces;
using Nascent.Strategies;
using Nascent.Tests.Tabular;

namespace Nascent.Tests.Strategies;

/// <summary>What every registered strategy must do, read from the catalog so a new one is checked the day it is
/// registered: the same seed gives the same asks, export then import gives the same next asks, and a run on a small
/// table (one at a time) or its training paths (weight sharing) stay valid architectures of the space.</summary>
public sealed class StrategyContractTests(SyntheticTable table) : IClassFixture<SyntheticTable>
{
    public static TheoryData<string> OneAtATime() => new(StrategyCatalog.OfKind(StrategyKind.OneAtATime).Select(d => d.Name));

    public static TheoryData<string> WeightSharing() => new(StrategyCatalog.OfKind(StrategyKind.WeightSharing).Select(d => d.Name));

    private StrategyContext Context(ulong seed) => new(Nb201Space.Instance, seed,
        new CostObjectives { Costs = [new CostMetric("cost")] }, [new TableColumnCost(table.Benchmark, "cost")]);

    /// <summary>The defaults, with DPP-Net's predictor fitted for a few epochs only (its 100 take half a minute here).</summary>
    private static IStrategyOptions Quick(StrategyDescriptor d) =>
        d.DefaultOptions is DppOptions dpp ? dpp with { PredictorEpochs = 5, Keep = 8 } : d.DefaultOptions;

    private List<Architecture> Run(ISearchStrategy strategy, int queries, int firstId = 0)
    {
        var evaluator = new TabularEvaluator(table.Benchmark, new TabularColumns("score", Costs: ["cost"]));
        var asked = new List<Architecture>();
        for (int i = 0; i < queries; i++)
        {
            var a = strategy.Ask();
            Assert.Equal(a, Nb201Space.Instance.Parse(a.ToString()));
            asked.Add(a);
            strategy.Tell(new Trial(firstId + i, a, TrialStatus.Done, evaluator.Evaluate(a)));
        }
        return asked;
    }

    [Theory]
    [MemberData(nameof(OneAtATime))]
    public void A_one_at_a_time_strategy_is_reproducible_and_resumable_on_a_table(string name)
    {
        var descriptor = StrategyCatalog.Get(name);
        using var a = descriptor.Create(Context(5), Quick(descriptor));
        using var b = descriptor.Create(Context(5), Quick(descriptor));
        Assert.Equal(descriptor.Name, a.Name);
        Assert.Equal(Run(a, 30), Run(b, 30));
        using var copy = descriptor.Create(Context(77), Quick(descriptor));
        copy.ImportState(a.ExportState());
        Assert.Equal(Run(a, 10, 30), Run(copy, 10, 30));
    }

    [Theory]
    [MemberData(nameof(WeightSharing))]
    public void A_weight_sharing_strategy_names_valid_paths_and_resumes_its_asks(string name)
    {
        var descriptor = StrategyCatalog.Get(name);
        using var strategy = (IWeightSharingStrategy)descriptor.Create(Context(3));
        Assert.Equal(descriptor.Name, strategy.Name);
        for (int i = 0; i < 10; i++)
        {
            var path = strategy.NextTrainingPath();
            Assert.Equal(path, Nb201Space.Instance.Parse(path.ToString()));
        }
        using var copy = (IWeightSharingStrategy)descriptor.Create(Context(99));
        copy.ImportState(strategy.ExportState());
        Assert.Equal(Enumerable.Range(0, 5).Select(_ => strategy.Ask()).ToList(), Enumerable.Range(0, 5).Select(_ => copy.Ask()).ToList());
    }

    [Fact]
    public void Names_and_aliases_are_unique_and_every_options_record_validates_its_defaults()
    {
        var names = StrategyCatalog.All.SelectMany(d => d.Aliases.Prepend(d.Name)).ToList();
        Assert.Equal(names.Count, names.Distinct().Count());
        foreach (var d in StrategyCatalog.All)
        {
            Assert.IsType(d.OptionsType, d.DefaultOptions);
            d.DefaultOptions.Validate();
            Assert.False(string.IsNullOrWhiteSpace(d.Summary));
        }
    }
}
