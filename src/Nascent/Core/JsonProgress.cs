using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Nascent.Core;

/// <summary>
/// Progress for other programs (<c>--json-progress</c>): a text writer that turns everything written to it into
/// one JSON object per line on the writer it wraps. A <see cref="ProgressBar"/> on it writes
/// <c>{"event":"progress",...}</c> objects instead of bars; any other line becomes <c>{"event":"message","text":...}</c>.
/// </summary>
public sealed class JsonProgress(TextWriter target) : TextWriter
{
    private static readonly JsonSerializerOptions Compact = new()
    {
        WriteIndented = false,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
    private readonly StringBuilder _line = new();

    public override Encoding Encoding => target.Encoding;

    /// <summary>Writes one event object as one line (and flushes, so a reader sees it at once).</summary>
    public void Emit(string kind, JsonObject fields)
    {
        var line = new JsonObject { ["event"] = kind, ["time"] = DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture) };
        foreach (var (key, value) in fields) line[key] = value?.DeepClone();
        lock (target)
        {
            target.WriteLine(line.ToJsonString(Compact));
            target.Flush();
        }
    }

    public override void Write(char value)
    {
        if (value == '\n') FlushLine();
        else if (value != '\r') _line.Append(value);
    }

    public override void Flush()
    {
        if (_line.Length > 0) FlushLine();
        target.Flush();
    }

    private void FlushLine()
    {
        string text = _line.ToString().Trim();
        _line.Clear();
        if (text.Length > 0) Emit("message", new JsonObject { ["text"] = text });
    }
}
