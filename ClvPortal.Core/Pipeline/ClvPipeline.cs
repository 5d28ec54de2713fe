using ClvPortal.Core.Analytics;
using ClvPortal.Core.Cleaning;
using ClvPortal.Core.Features;
using ClvPortal.Core.Ingest;
using ClvPortal.Core.Models;

namespace ClvPortal.Core.Pipeline;

/// <summary>Everything a user can set for one analysis. Defaults are what most shops want.</summary>
public sealed record PipelineOptions
{
    public IngestOptions Ingest { get; init; } = new();

    /// <summary>Default <see cref="ReturnsHandling.Net"/>: returns reduce the customer's revenue.</summary>
    public ReturnsHandling Returns { get; init; } = ReturnsHandling.Net;

    /// <summary>Default days; CDNOW-style analyses use weeks.</summary>
    public TimeUnit TimeUnit { get; init; } = TimeUnit.Days;

    /// <summary>End of the observation window. Default null: the last date in the data.</summary>
    public DateOnly? ObservationEnd { get; init; }

    /// <summary>End of the calibration window; adds holdout targets. Default null: chosen by the models' backtest rules.</summary>
    public DateOnly? CalibrationEnd { get; init; }

    /// <summary>How far ahead CLV is predicted, in months. Default 12 (the usual planning year).</summary>
    public int HorizonMonths { get; init; } = 12;

    /// <summary>Monthly discount rate applied to predicted CLV. Default 0 (undiscounted, as in the seed's dashboards).</summary>
    public double MonthlyDiscountRate { get; init; }

    /// <summary>Whether to run the models at all (the analyze command can stop at features). Default true.</summary>
    public bool RunModels { get; init; } = true;
}

/// <summary>A successful run: what was read, what cleaning did, per-customer features, aggregates and model output.</summary>
public sealed record PipelineResult(
    FileDescription File,
    CleaningReport Cleaning,
    IReadOnlyList<CustomerFeatures> Customers,
    DashboardAggregates Aggregates,
    ModelingResult? Modeling,
    TimeSpan Elapsed);

/// <summary>Either a <see cref="PipelineResult"/> or the <see cref="InputProblem"/> that stopped the run.</summary>
public sealed record PipelineOutcome(PipelineResult? Result, InputProblem? Problem)
{
    public bool Succeeded => Result is not null;

    public static PipelineOutcome Success(PipelineResult result) => new(result, null);

    public static PipelineOutcome Failure(InputProblem problem) => new(null, problem);
}
