using System.ComponentModel.DataAnnotations;

namespace ClvPortal.Web.Jobs;

/// <summary>The <c>Portal:Jobs</c> configuration section: how a worker process runs background jobs.</summary>
public sealed class JobsOptions
{
    public const string Section = "Portal:Jobs";

    /// <summary>Queues this worker takes jobs from, in priority order; default "default".</summary>
    [MinLength(1)]
    public string[] Queues { get; set; } = ["default"];

    /// <summary>
    /// Jobs run at once by this worker; default the processor count, because analysis jobs are
    /// CPU-bound and more workers than cores only make each job slower.
    /// </summary>
    [Range(1, 100)]
    public int WorkerCount { get; set; } = Environment.ProcessorCount;

    /// <summary>
    /// Threads each analysis trains and scores its models with: the cores shared out among the
    /// <see cref="WorkerCount"/> jobs that may run at once, at least 1. XGBoost and ONNX Runtime would
    /// otherwise each start one thread per core in every job, and two jobs on two cores then take
    /// several times as long as one after the other.
    /// </summary>
    public int ThreadsPerJob => Math.Max(1, Environment.ProcessorCount / WorkerCount);

    /// <summary>
    /// How often an idle worker looks for new or scheduled jobs; default 2 s, which keeps the
    /// wait after an upload short at a negligible load on MongoDB.
    /// </summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long a job fetched by a worker that stopped sending heartbeats stays invisible before another
    /// worker takes it over; default 5 minutes (Hangfire.Mongo's <c>SlidingInvisibilityTimeout</c>). A
    /// running job's worker refreshes its claim every fifth of this, so a job whose worker is alive and
    /// reaches MongoDB is never taken over, however long it runs; only a worker that died (killed, machine
    /// lost) leaves its job to expire. Shorter
    /// means a dead worker's analysis resumes sooner on another worker; too short, and a claim refresh
    /// delayed by a slow or busy MongoDB lets a second worker start the same job while the first still runs.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:05", "1.00:00:00")]
    public TimeSpan InvisibilityTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Collection-name prefix of Hangfire's collections in the portal database; default "hangfire".</summary>
    [Required]
    public string Prefix { get; set; } = "hangfire";
}
