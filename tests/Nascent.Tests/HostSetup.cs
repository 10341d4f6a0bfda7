using System.Runtime.CompilerServices;
using Nascent.Core;

namespace Nascent.Tests;

/// <summary>The test process is a host like the `nascent` command: it tunes glibc's allocator before any tensor.</summary>
internal static class HostSetup
{
#pragma warning disable CA2255 // a test assembly's initializer is the one place that runs before every test
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Apply() => NativeMemoryTuning.Apply();
}
