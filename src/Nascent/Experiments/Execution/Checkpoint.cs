namespace Nascent.Experiments.Execution;

/// <summary>
/// A run's latest checkpoint: the folder <c>checkpoint/</c> of the run directory, with <c>state.json</c> (the format,
/// how many finished trials the run had, the strategy's exported state, where the search loop stood) and the loop's
/// binary files (a weight-sharing search's supernet weights and optimizer state). A new checkpoint is written whole
/// into <c>checkpoint.new/</c>, state.json last, and then swapped in by renames, so a process killed at any moment
/// leaves at least one complete checkpoint behind.
/// </summary>
public sealed class Checkpoint
{
    public const string Folder = "checkpoint";
    public const string StateFile = "state.json";
    public const string Format = "nascent-checkpoint/1";
    private const string NewSuffix = ".new", OldSuffix = ".old";

    private Checkpoint(string path, JsonObject state)
    {
        Path = path;
        State = state;
    }

    /// <summary>The checkpoint's folder.</summary>
    public string Path { get; }

    /// <summary>state.json: <c>format</c>, <c>trials</c>, <c>strategy</c> and what the loop wrote.</summary>
    public JsonObject State { get; }

    /// <summary>Finished trials (done or failed) the run had when the checkpoint was taken.</summary>
    public int Trials => State["trials"]!.GetValue<int>();

    public JsonObject Strategy => State["strategy"]!.AsObject();

    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>Writes a checkpoint of <paramref name="trials"/> finished trials and <paramref name="strategy"/>'s
    /// state; <paramref name="loop"/> adds the loop's position to state.json and <paramref name="writeFiles"/> its
    /// binary files into the folder it is given.</summary>
    public static void Write(RunDirectory run, int trials, JsonObject strategy, JsonObject? loop = null,
        Action<string>? writeFiles = null)
    {
        try
        {
            WriteFolder(run, trials, strategy, loop, writeFiles);
        }
        catch (Exception e) when (StoreFaults.IsStorageFault(e))
        {
            // The previous checkpoint stays whole (the new one is written beside it first).
            throw new NascentException(StoreFaults.Describe(e, run.File(Folder + NewSuffix)));
        }
    }

    private static void WriteFolder(RunDirectory run, int trials, JsonObject strategy, JsonObject? loop, Action<string>? writeFiles)
    {
        string target = run.File(Folder), fresh = target + NewSuffix, old = target + OldSuffix;
        if (Directory.Exists(fresh)) Directory.Delete(fresh, recursive: true);
        Directory.CreateDirectory(fresh);
        writeFiles?.Invoke(fresh);
        var state = new JsonObject { ["format"] = Format, ["trials"] = trials, ["strategy"] = strategy };
        foreach (var (key, value) in loop ?? []) state[key] = value?.DeepClone();
        System.IO.File.WriteAllText(System.IO.Path.Combine(fresh, StateFile), state.ToJsonString(RunDirectory.Json));
        if (Directory.Exists(old)) Directory.Delete(old, recursive: true);
        if (Directory.Exists(target)) Directory.Move(target, old);
        Directory.Move(fresh, target);
        if (Directory.Exists(old)) Directory.Delete(old, recursive: true);
    }

    /// <summary>The latest complete checkpoint of the run, or null when none was written.</summary>
    public static Checkpoint? Latest(RunDirectory run)
    {
        string target = run.File(Folder);
        // A kill between the renames leaves the new checkpoint complete beside the old one; prefer it.
        foreach (string folder in new[] { target, target + NewSuffix, target + OldSuffix })
        {
            string file = System.IO.Path.Combine(folder, StateFile);
            if (!System.IO.File.Exists(file)) continue;
            JsonObject? state;
            try
            {
                state = JsonNode.Parse(System.IO.File.ReadAllText(file)) as JsonObject;
            }
            catch (System.Text.Json.JsonException e)
            {
                throw new NascentException($"{file} is not valid JSON ({e.Message}): the checkpoint is damaged.");
            }
            if (state?["format"]?.GetValue<string>() != Format)
                throw new NascentException($"{file} is not a checkpoint this Nascent reads (format {state?["format"]?.ToJsonString() ?? "missing"}, expected {Format}).");
            return new Checkpoint(folder, state);
        }
        return null;
    }
}
