using System.Text.Json;
using System.Text.Json.Serialization;
using Nascent.Experiments.Search;

namespace Nascent.Experiments.Execution;

/// <summary>Where a command writes its outcome: <c>--out DIR</c>, or <c>runs/&lt;time&gt;-&lt;command&gt;</c>.
/// JSON files use snake_case names and are written whole, through a temporary file, so none is ever half written.</summary>
public sealed class RunDirectory
{
    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        // Architecture strings contain '+' and '|': keep them readable in result.json.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        // A configuration's strategy options are one record of the strategy's own type.
        TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver
        {
            Modifiers = { Strategies.StrategyCatalog.AddOptionTypes },
        },
    };

    private RunDirectory(string path) => Path = path;

    public string Path { get; }

    public static RunDirectory Create(string? outDirectory, string command)
    {
        string path = outDirectory ?? System.IO.Path.Combine("runs",
            DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture) + "-" + command);
        try
        {
            Directory.CreateDirectory(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new NascentException($"Cannot create the run directory {path}: {e.Message} (choose another with --out).");
        }
        return new RunDirectory(System.IO.Path.GetFullPath(path));
    }

    /// <summary>An existing directory, to write into.</summary>
    public static RunDirectory Of(string path) => new(System.IO.Path.GetFullPath(path));

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void WriteJson<T>(string name, T value)
    {
        string target = File(name), temp = target + ".tmp";
        try
        {
            System.IO.File.WriteAllText(temp, JsonSerializer.Serialize(value, Json) + "\n");
            System.IO.File.Move(temp, target, overwrite: true);
        }
        catch (Exception e) when (StoreFaults.IsStorageFault(e))
        {
            throw new NascentException(StoreFaults.Describe(e, target));
        }
    }

    public static T ReadJson<T>(string path)
    {
        if (!System.IO.File.Exists(path)) throw new NascentException($"{path} not found: is this a Nascent run directory?");
        try
        {
            return JsonSerializer.Deserialize<T>(System.IO.File.ReadAllText(path), Json)
                ?? throw new NascentException($"{path} is empty.");
        }
        catch (JsonException e)
        {
            throw new NascentException($"{path} is not valid JSON ({e.Message}).");
        }
    }

    /// <summary>The result.json of a finished search or train run, for the commands that read one (report, export).</summary>
    public static SearchResult ReadResult(string runDirectory, string command)
    {
        if (!Directory.Exists(runDirectory))
            throw new NascentException($"Run directory {runDirectory} not found: give the --out folder of a search or train run.");
        var result = ReadJson<SearchResult>(System.IO.Path.Combine(runDirectory, "result.json"));
        if (result.Command is not ("search" or "train") || result.Best is null)
            throw new NascentException($"{runDirectory} is a '{result.Command}' run; nascent {command} reads search and train runs.");
        return result;
    }

    /// <summary>The space of a run's architectures: result.json's space, with the --nodes of its config.json.</summary>
    public static SearchSpace ReadSpace(string runDirectory, SearchResult result)
    {
        string path = System.IO.Path.Combine(runDirectory, "config.json");
        int? nodes = System.IO.File.Exists(path) && ReadJson<JsonElement>(path).TryGetProperty("nodes", out var n)
            && n.ValueKind == JsonValueKind.Number ? n.GetInt32() : null;
        return SpaceCatalog.Create(result.Space, nodes);
    }
}
