namespace ClvPortal.Web.Jobs;

/// <summary>
/// Starts Hangfire's server once its storage can be built, retrying in the background, so a
/// worker that starts before MongoDB still starts and begins working when MongoDB answers.
/// Wraps the hosted service Hangfire's <c>AddHangfireServer</c> registers (its factory): Hangfire's own
/// hosted service builds its server, and so the storage, once as the host starts (see JobsSetup).
/// </summary>
public sealed class DeferredJobServer(
    DeferredJobStorage storage,
    IServiceProvider services,
    Func<IServiceProvider, IHostedService> createServer,
    ILogger<DeferredJobServer> logger) : BackgroundService
{
    private IHostedService? _server;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromSeconds(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                _ = storage.Inner;
                break;
            }
            catch (JobStorageUnavailableException e)
            {
                logger.LogWarning(e, "Hangfire server not started yet; retrying in {Delay}", delay);
                await Task.Delay(delay, stoppingToken);
                delay = TimeSpan.FromSeconds(Math.Min(delay.TotalSeconds * 2, 30));
            }
        }

        _server = createServer(services);
        await _server.StartAsync(stoppingToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (_server is not null)
        {
            await _server.StopAsync(cancellationToken);
            (_server as IDisposable)?.Dispose();
        }
    }
}
