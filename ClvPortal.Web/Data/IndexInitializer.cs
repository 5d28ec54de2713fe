namespace ClvPortal.Web.Data;

/// <summary>
/// Creates the portal's indexes in the background at start-up, retrying until MongoDB answers, so
/// a process that starts before its database is reachable still starts (and /healthz says why).
/// </summary>
public sealed class IndexInitializer(PortalDb db, ILogger<IndexInitializer> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromSeconds(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await db.EnsureIndexesAsync(stoppingToken);
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Could not create MongoDB indexes yet; retrying in {Delay}", delay);
                await Task.Delay(delay, stoppingToken);
                delay = TimeSpan.FromSeconds(Math.Min(delay.TotalSeconds * 2, 30));
            }
        }
    }
}
