using Hangfire;
using Hangfire.Logging;
using Hangfire.Server;
using Hangfire.States;
using Hangfire.Storage;

namespace ClvPortal.Web.Jobs;

/// <summary>
/// Hangfire's storage, built on first use instead of at start-up. Hangfire.Mongo's storage connects
/// (and migrates) in its constructor, so building it eagerly would stop a process that starts while
/// MongoDB is down. Until MongoDB answers, every use throws <see cref="JobStorageUnavailableException"/>
/// and the next use tries again.
/// </summary>
public sealed class DeferredJobStorage(Func<JobStorage> create) : JobStorage
{
    private readonly Lock _lock = new();
    private JobStorage? _inner;

    public bool IsReady => Volatile.Read(ref _inner) is not null;

    /// <summary>The real storage; builds it if needed, throwing while MongoDB cannot be reached.</summary>
    public JobStorage Inner
    {
        get
        {
            if (Volatile.Read(ref _inner) is { } ready)
            {
                return ready;
            }
            lock (_lock)
            {
                if (_inner is null)
                {
                    try
                    {
                        Volatile.Write(ref _inner, create());
                    }
                    catch (Exception e) when (e is not JobStorageUnavailableException)
                    {
                        throw new JobStorageUnavailableException(e);
                    }
                }
                return _inner!;
            }
        }
    }

    public override IMonitoringApi GetMonitoringApi() => Inner.GetMonitoringApi();

    public override IStorageConnection GetConnection() => Inner.GetConnection();

    public override IStorageConnection GetReadOnlyConnection() => Inner.GetReadOnlyConnection();

    public override bool LinearizableReads => Inner.LinearizableReads;

    public override bool HasFeature(string featureId) => Inner.HasFeature(featureId);

    [Obsolete("Hangfire 1.8 marks it obsolete but its server still asks storages for their components.")]
#pragma warning disable CS0618
    public override IEnumerable<IServerComponent> GetComponents() => Inner.GetComponents();
#pragma warning restore CS0618

    public override IEnumerable<IStateHandler> GetStateHandlers() => Inner.GetStateHandlers();

    public override void WriteOptionsToLog(ILog logger) => Inner.WriteOptionsToLog(logger);

    public override string ToString() => IsReady ? Inner.ToString() ?? "" : "MongoDB (not connected yet)";
}

/// <summary>Hangfire's storage could not be built because MongoDB did not answer.</summary>
public sealed class JobStorageUnavailableException(Exception inner)
    : Exception("The job storage (MongoDB) cannot be reached yet: " + inner.Message, inner);
