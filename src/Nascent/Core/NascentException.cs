namespace Nascent.Core;

/// <summary>
/// A user's mistake (a bad option value, a missing or corrupt file, an architecture string that does not parse).
/// The message is one line that names the thing and how to fix it; the command line prints it and exits with code 2.
/// </summary>
public sealed class NascentException : Exception
{
    public NascentException(string message) : base(message) { }
    public NascentException(string message, Exception inner) : base(message, inner) { }
}
