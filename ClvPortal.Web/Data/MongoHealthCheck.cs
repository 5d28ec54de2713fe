using Microsoft.Extensions.Diagnostics.HealthChecks;
using MongoDB.Bson;
using MongoDB.Driver;

namespace ClvPortal.Web.Data;

/// <summary>
/// /healthz: can this process reach MongoDB? A ping with a short deadline, so a load balancer or
/// orchestrator learns within seconds (the driver would otherwise wait 30 s to select a server).
/// </summary>
public sealed class MongoHealthCheck(IMongoDatabase database) : IHealthCheck
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(3);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Deadline);
        try
        {
            await database.RunCommandAsync<BsonDocument>(new BsonDocument("ping", 1), cancellationToken: deadline.Token);
            return HealthCheckResult.Healthy("MongoDB answered a ping.");
        }
        catch (Exception e) when (e is MongoException or TimeoutException or OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy($"MongoDB did not answer a ping within {Deadline.TotalSeconds:0} s.", e);
        }
    }
}
