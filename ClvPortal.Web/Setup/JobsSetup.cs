using ClvPortal.Web.Data;
using ClvPortal.Web.Jobs;
using Hangfire;
using Hangfire.AspNetCore;
using Hangfire.Mongo;
using Hangfire.Mongo.Migration.Strategies;
using Hangfire.Mongo.Migration.Strategies.Backup;
using MongoDB.Driver;

namespace ClvPortal.Web.Setup;

public static class JobsSetup
{
    /// <summary>
    /// Hangfire with its storage in the portal database (collections prefixed <c>hangfire.</c>),
    /// and a Hangfire server in this process when <c>Portal:Roles</c> includes "worker".
    /// Enqueue jobs through an injected <see cref="IBackgroundJobClient"/>.
    /// </summary>
    public static void AddPortalJobs(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<JobsOptions>().BindConfiguration(JobsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        var portal = PortalOptions.From(builder.Configuration);
        var jobs = builder.Configuration.GetSection(JobsOptions.Section).Get<JobsOptions>() ?? new JobsOptions();

        // Registered before AddHangfire so Hangfire uses this instance rather than the static
        // JobStorage.Current: several hosts in one process (integration tests) each keep their own.
        // Deferred: Hangfire.Mongo connects in its constructor, and a process must start while MongoDB is down.
        builder.Services.AddSingleton(sp => new DeferredJobStorage(() => new MongoStorage(
            sp.GetRequiredService<IMongoClient>(),
            sp.GetRequiredService<IMongoDatabase>().DatabaseNamespace.DatabaseName,
            new MongoStorageOptions
            {
                Prefix = jobs.Prefix,
                // Upgrading Hangfire.Mongo migrates the job data in place, after copying the old collections.
                MigrationOptions = new MongoMigrationOptions
                {
                    MigrationStrategy = new MigrateMongoMigrationStrategy(),
                    BackupStrategy = new CollectionMongoBackupStrategy(),
                },
                CheckConnection = true,
                // Polling works on a standalone server; change streams (Watch) need a replica set.
                CheckQueuedJobsStrategy = CheckQueuedJobsStrategy.Poll,
                QueuePollInterval = jobs.PollInterval,
                // A job whose worker died (no heartbeat for this long) goes to another worker.
                SlidingInvisibilityTimeout = jobs.InvisibilityTimeout,
            })));
        builder.Services.AddSingleton<JobStorage>(sp => sp.GetRequiredService<DeferredJobStorage>());

        builder.Services.AddHangfire((sp, config) => config
            .UseLogProvider(new HostTolerantLogProvider(sp.GetRequiredService<ILoggerFactory>()))
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings());

        if (portal.RunsWorker)
        {
            var before = builder.Services.Where(d => d.ServiceType == typeof(IHostedService)).ToList();
            builder.Services.AddHangfireServer((provider, options) =>
            {
                // This host's own container activates its jobs. Left unset, Hangfire uses the process-wide
                // JobActivator.Current: whichever host configured Hangfire last, possibly one already stopped.
                options.Activator = new AspNetCoreJobActivator(provider.GetRequiredService<IServiceScopeFactory>());
                options.Queues = jobs.Queues;
                options.WorkerCount = jobs.WorkerCount;
                options.SchedulePollingInterval = jobs.PollInterval;
            });
            // Why Hangfire's own registration is taken out and started from DeferredJobServer: a worker must start while
            // MongoDB is down and begin working when it answers (MongoStartupTests). Hangfire.Mongo connects and migrates
            // in MongoStorage's constructor, and Hangfire's hosted service builds its BackgroundJobServer once, when the
            // host has started; that constructor asks the storage for its components. With MongoDB down it throws, and
            // the worker would run no server until restarted. Hangfire has no option to start or retry its server later. Reusing Hangfire's own factory (rather than building a
            // BackgroundJobServer by hand) keeps everything it wires from the container: the job factory, performer and
            // state changer with their filters, and the stop on ApplicationStopping. If a Hangfire upgrade registers its
            // server differently, the lines below throw at start-up rather than silently running no server.
            var hangfireServer = builder.Services.Single(d => d.ServiceType == typeof(IHostedService) && !before.Contains(d));
            builder.Services.Remove(hangfireServer);
            var createServer = hangfireServer.ImplementationFactory
                ?? throw new InvalidOperationException("Hangfire's server registration changed: expected a factory.");
            builder.Services.AddHostedService(sp => new DeferredJobServer(
                sp.GetRequiredService<DeferredJobStorage>(),
                sp,
                provider => (IHostedService)createServer(provider),
                sp.GetRequiredService<ILogger<DeferredJobServer>>()));
        }

        builder.Services.AddHealthChecks().AddCheck<MongoHealthCheck>("mongodb");
    }

    /// <summary>
    /// Until MongoDB has answered once, the dashboard has no storage to show: /hangfire answers 503, like /healthz.
    /// </summary>
    public static void UseJobsDashboardStorageCheck(this WebApplication app)
    {
        if (!PortalOptions.From(app.Configuration).RunsWeb)
        {
            return;
        }

        var storage = app.Services.GetRequiredService<DeferredJobStorage>();
        app.UseWhen(
            context => context.Request.Path.StartsWithSegments("/hangfire") && !storage.IsReady && !TryConnect(storage),
            branch => branch.Run(context =>
            {
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                return context.Response.WriteAsync("The job dashboard is unavailable until the database can be reached.");
            }));
    }

    /// <summary>The Hangfire dashboard at /hangfire, for admins only, on processes that serve web pages.</summary>
    public static void MapPortalJobsDashboard(this WebApplication app)
    {
        if (!PortalOptions.From(app.Configuration).RunsWeb)
        {
            return;
        }

        app.MapHangfireDashboard("/hangfire", new DashboardOptions
        {
            DashboardTitle = "ClvPortal jobs",
            AppPath = "/",
            Authorization = [new AdminDashboardAuthorizationFilter()],
        })
        // Signed-in users only, so anonymous visitors are redirected to the login page; the filter then answers 403 to non-admins.
        .RequireAuthorization();
    }

    private static bool TryConnect(DeferredJobStorage storage)
    {
        try
        {
            _ = storage.Inner;
            return true;
        }
        catch (JobStorageUnavailableException)
        {
            return false;
        }
    }

    /// <summary>/healthz: 200 "Healthy" when MongoDB answers a ping, 503 "Unhealthy" otherwise.</summary>
    public static void MapPortalHealth(this WebApplication app) => app.MapHealthChecks("/healthz");
}
