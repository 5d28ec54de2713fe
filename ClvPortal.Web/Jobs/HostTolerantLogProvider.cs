using Hangfire.AspNetCore;
using Hangfire.Logging;

namespace ClvPortal.Web.Jobs;

/// <summary>
/// Hangfire keeps one process-wide log provider, and every host replaces it with its own logger
/// factory. Where several hosts share a process (integration tests), a stopped host's disposed
/// factory would make Hangfire throw while creating a job in another host; its loggers go quiet instead.
/// </summary>
public sealed class HostTolerantLogProvider(ILoggerFactory loggers) : ILogProvider
{
    private readonly AspNetCoreLogProvider _inner = new(loggers);

    public ILog GetLogger(string name)
    {
        try
        {
            return _inner.GetLogger(name);
        }
        catch (ObjectDisposedException)
        {
            return SilentLog.Instance;
        }
    }

    private sealed class SilentLog : ILog
    {
        public static readonly SilentLog Instance = new();

        public bool Log(Hangfire.Logging.LogLevel logLevel, Func<string> messageFunc, Exception exception) => false;
    }
}
