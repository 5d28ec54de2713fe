using ClvPortal.Core.Pipeline;

namespace ClvPortal.Web.Analyses;

/// <summary>
/// The Core pipeline as <see cref="AnalyzeUploadJob"/> calls it. A delegate rather than an interface:
/// production has one implementation, and tests substitute one that throws to exercise Hangfire's retries.
/// </summary>
public sealed class PipelineRunner(
    Func<Stream, string, PipelineOptions, IProgress<PipelineProgress>?, CancellationToken, PipelineOutcome> run)
{
    public PipelineOutcome Run(Stream input, string fileName, PipelineOptions options, IProgress<PipelineProgress>? progress, CancellationToken ct) =>
        run(input, fileName, options, progress, ct);

    /// <summary>The options with reading, XGBoost training and ONNX Runtime scoring limited to <paramref name="threads"/> threads.</summary>
    public static PipelineOptions WithThreads(PipelineOptions options, int threads) => options with
    {
        Ingest = options.Ingest with { ReadThreads = threads },
        Modeling = options.Modeling with { Xgboost = options.Modeling.Xgboost with { Threads = threads } },
    };
}
