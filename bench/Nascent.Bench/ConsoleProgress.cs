using Nascent.Core;

namespace Nascent.Bench;

/// <summary>Progress of a long benchmark on standard error: every message, and a task's progress at most every 30 s.</summary>
internal sealed class ConsoleProgress : IProgress<ProgressEvent>
{
    private DateTime _last;

    public void Report(ProgressEvent value)
    {
        if (value is ProgressMessage m) Console.Error.WriteLine(m.Text);
        else if (value is TaskProgress p && DateTime.UtcNow - _last > TimeSpan.FromSeconds(30))
        {
            _last = DateTime.UtcNow;
            Console.Error.WriteLine($"{DateTime.UtcNow:HH:mm:ss} {p.Task} {p.Done}/{p.Total} {p.Status}, {p.EtaSeconds / 60:F0} min left");
        }
    }
}
