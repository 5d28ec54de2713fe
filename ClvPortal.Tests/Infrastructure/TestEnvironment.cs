using System.Runtime.CompilerServices;

namespace ClvPortal.Tests.Infrastructure;

/// <summary>Process-wide settings for the test run, applied before any test host starts.</summary>
internal static class TestEnvironment
{
    /// <summary>
    /// Every in-process portal host would watch its appsettings files for changes: one inotify instance
    /// each, and Linux allows 128 per user, which the suite's many hosts exceed ("The configured user limit
    /// (128) on the number of inotify instances has been reached"). Tests never edit settings files.
    /// </summary>
    [ModuleInitializer]
    internal static void DisableConfigurationReload()
    {
        Environment.SetEnvironmentVariable("DOTNET_hostBuilder__reloadConfigOnChange", "false");
        Environment.SetEnvironmentVariable("DOTNET_USE_POLLING_FILE_WATCHER", "true");
    }
}
