using System.Diagnostics;
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

    /// <summary>
    /// Rows dated after this day are dropped as typing errors (2099 for 2019). Default null: no check,
    /// since Core has no clock; the portal passes the day after the analysis runs.
    /// </summary>
    public DateOnly? LatestPossibleDate { get; init; }

    /// <summary>End of the calibration window; adds holdout targets. Default null: chosen by the models' backtest rules.</summary>
    public DateOnly? CalibrationEnd { get; init; }

    /// <summary>How far ahead CLV is predicted, in months. Default 12 (the usual planning year).</summary>
    public int HorizonMonths { get; init; } = 12;

    /// <summary>Monthly discount rate applied to predicted CLV. Default 0 (undiscounted, as in the seed's dashboards).</summary>
    public double MonthlyDiscountRate { get; init; }

    /// <summary>Whether to run the models at all (the analyze command can stop at features). Default true.</summary>
    public bool RunModels { get; init; } = true;

    /// <summary>
    /// The model shipped with the app, for data too short to train XGBoost on. Default null (no
    /// fallback model). The caller owns it: one instance per process, as ONNX sessions are costly.
    /// </summary>
    public OnnxClvModel? ShippedModel { get; init; }

    /// <summary>Backtest rules, XGBoost settings and the churn threshold; its time unit, horizon, discount and holdout come from these options. Default <see cref="ModelingOptions"/>'s defaults.</summary>
    public ModelingOptions Modeling { get; init; } = new();
}

/// <summary>A successful run: what was read, what cleaning did, per-customer features, aggregates and model output.</summary>
/// <param name="Customers">Every customer's features over the whole observation window (no holdout targets).</param>
public sealed record PipelineResult(
    FileDescription File,
    CleaningReport Cleaning,
    IReadOnlyList<CustomerFeatures> Customers,
    DashboardAggregates Aggregates,
    ModelingResult? Modeling,
    TimeSpan Elapsed)
{
    /// <summary>The end of the observation window the features were computed to (the last date in the data unless given).</summary>
    public DateOnly ObservationEnd { get; init; }

    /// <summary>
    /// With <see cref="PipelineOptions.CalibrationEnd"/>: features over the calibration window with
    /// holdout targets, for the customers first seen in it (lifetimes' calibration_and_holdout_data).
    /// </summary>
    public IReadOnlyList<CustomerFeatures>? Calibration { get; init; }

    /// <summary>
    /// Every customer-day that passed cleaning, so models can compute features at other cutoffs
    /// (<see cref="RfmCalculator.Compute"/>) without reading the file again. Not serialized.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public CustomerLedger? Ledger { get; init; }
}

/// <summary>Either a <see cref="PipelineResult"/> or the <see cref="InputProblem"/> that stopped the run.</summary>
public sealed record PipelineOutcome(PipelineResult? Result, InputProblem? Problem)
{
    public bool Succeeded => Result is not null;

    public static PipelineOutcome Success(PipelineResult result) => new(result, null);

    public static PipelineOutcome Failure(InputProblem problem) => new(null, problem);
}

/// <summary>
/// The whole analysis of one file: read, clean, build the customer ledger, features (plus holdout
/// targets with a calibration end) and dashboard aggregates. Rows stream through in one pass, so
/// memory grows with customers and their purchase days, not with the file. Models are added by the
/// modeling stage on top of <see cref="PipelineResult.Ledger"/> and the features.
/// </summary>
public static class ClvPipeline
{
    /// <summary>Share of the progress bar for the streamed read-and-clean pass; features and aggregates take the rest.</summary>
    private const double ReadingShare = 85;

    public static PipelineOutcome Run(
        Stream input,
        string fileName,
        PipelineOptions options,
        IProgress<PipelineProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var stopwatch = Stopwatch.StartNew();
        try
        {
            progress?.Report(new PipelineProgress(PipelineStage.Reading, 0, $"Opening {Path.GetFileName(fileName)}"));
            using var file = TransactionFile.Open(input, fileName, options.Ingest);
            // Ingest maps records to rows on other threads (every core by default), so cleaning and the ledger here,
            // on this one, overlap the reading.
            return Analyze(file.Description, file.ReadBatchesForAnalysis(cancellationToken), file.EstimatedRows, options, progress, () => file.Progress, stopwatch, cancellationToken);
        }
        catch (InputProblemException problem)
        {
            return PipelineOutcome.Failure(problem.Problem);
        }
    }

    /// <summary>The pipeline after reading, for rows from any source (tests, other readers).</summary>
    /// <param name="readProgress">Fraction 0..1 of the input read so far, for the progress bar; null when unknown.</param>
    public static PipelineOutcome Analyze(
        FileDescription file,
        IEnumerable<TransactionRow> rows,
        PipelineOptions options,
        IProgress<PipelineProgress>? progress = null,
        Func<double>? readProgress = null,
        CancellationToken cancellationToken = default) =>
        Analyze(file, rows.Chunk(4096).Select(chunk => new ReadOnlyMemory<TransactionRow>(chunk)), expectedRows: 0, options, progress, readProgress, Stopwatch.StartNew(), cancellationToken);

    private static PipelineOutcome Analyze(
        FileDescription file,
        IEnumerable<ReadOnlyMemory<TransactionRow>> batches,
        long expectedRows,
        PipelineOptions options,
        IProgress<PipelineProgress>? progress,
        Func<double>? readProgress,
        Stopwatch stopwatch,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        try
        {
            var cleaner = new TransactionCleaner(new CleaningOptions { Returns = options.Returns, ObservationEnd = options.ObservationEnd, LatestPossibleDate = options.LatestPossibleDate, ExpectedRows = expectedRows });
            var ledger = new CustomerLedger();
            long count = 0;
            foreach (var batch in batches)
            {
                var keptCount = cleaner.Clean(batch.Span, ledger);

                // About every 256k rows, as the batches come.
                var before = count;
                count += keptCount;
                if ((before ^ count) >> 18 != 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    progress?.Report(new PipelineProgress(PipelineStage.Reading, ReadingShare * (readProgress?.Invoke() ?? 0), $"{count:N0} transactions read"));
                }
            }

            var report = cleaner.Report;
            progress?.Report(new PipelineProgress(PipelineStage.Cleaning, ReadingShare, $"{report.RowsKept:N0} of {report.RowsRead:N0} rows kept"));
            if (report.RowsKept == 0 || ledger.LastDate is not { } lastDate)
            {
                return PipelineOutcome.Failure(NothingUsable(file, report));
            }

            var observationEnd = options.ObservationEnd ?? lastDate;
            if (options.CalibrationEnd is { } calibrationEnd && (calibrationEnd >= observationEnd || calibrationEnd < ledger.FirstDate))
            {
                return PipelineOutcome.Failure(new InputProblem(
                    $"The calibration end {calibrationEnd:yyyy-MM-dd} is not inside the data, which runs from {ledger.FirstDate:yyyy-MM-dd} to {observationEnd:yyyy-MM-dd}: there would be no calibration or no holdout period.",
                    "Choose a calibration end between those dates (for example two thirds of the way through), or leave it empty."));
            }

            var customers = RfmCalculator.Compute(ledger, new FeatureOptions { TimeUnit = options.TimeUnit, ObservationEnd = observationEnd });
            if (customers.Count == 0)
            {
                return PipelineOutcome.Failure(new InputProblem(
                    $"The rows kept have customer ids (column \"{file.Mapping.CustomerId}\"), but none of them is a purchase: every kept row is a return or cancellation.",
                    "Check that the amount or quantity column is the right one (choose it in the settings), and that the file holds sales, not only returns."));
            }

            if (!ledger.HasRevenue)
            {
                return PipelineOutcome.Failure(NoRevenue(file));
            }

            var calibration = options.CalibrationEnd is { } end
                ? RfmCalculator.Compute(ledger, new FeatureOptions { TimeUnit = options.TimeUnit, ObservationEnd = observationEnd, CalibrationEnd = end })
                : null;
            progress?.Report(new PipelineProgress(PipelineStage.Features, 92, $"{customers.Count:N0} customers"));

            ModelingResult? modeling = null;
            if (options.RunModels)
            {
                progress?.Report(new PipelineProgress(PipelineStage.Models, 93, "Fitting and backtesting the models"));
                var backtestCut = options.CalibrationEnd ?? AutomaticCalibrationEnd(ledger.FirstDate ?? observationEnd, observationEnd, options);
                var modelingOptions = options.Modeling with
                {
                    TimeUnit = options.TimeUnit,
                    HorizonMonths = options.HorizonMonths,
                    MonthlyDiscountRate = options.MonthlyDiscountRate,
                    HoldoutLength = backtestCut is { } cut ? (observationEnd.DayNumber - cut.DayNumber) / options.TimeUnit.DaysPerUnit() : 0,
                };
                modeling = ClvModeling.Run(CustomerHistory.FromLedger(ledger, options.TimeUnit, observationEnd), modelingOptions, options.ShippedModel);
            }

            var forecast = CohortForecast.From(modeling, customers, options.TimeUnit, options.HorizonMonths);
            var aggregates = DashboardCalculator.Compute(ledger, observationEnd, forecast: forecast);
            progress?.Report(new PipelineProgress(PipelineStage.Aggregates, 98));
            var result = new PipelineResult(file, report, customers, aggregates, modeling, stopwatch.Elapsed)
            {
                ObservationEnd = observationEnd,
                Calibration = calibration,
                Ledger = ledger,
            };
            progress?.Report(new PipelineProgress(PipelineStage.Done, 100));
            return PipelineOutcome.Success(result);
        }
        catch (InputProblemException problem)
        {
            return PipelineOutcome.Failure(problem.Problem);
        }
    }

    /// <summary>
    /// Where to split when the user did not say: the holdout is the prediction horizon, or half the
    /// history when that is shorter, so the calibration window is never shorter than the holdout.
    /// Null when the history is too short for the backtest rules (the models then say so).
    /// </summary>
    internal static DateOnly? AutomaticCalibrationEnd(DateOnly firstDate, DateOnly observationEnd, PipelineOptions options)
    {
        var spanDays = observationEnd.DayNumber - firstDate.DayNumber;
        var horizonDays = (int)Math.Round(options.HorizonMonths * ProbabilisticClv.DaysPerMonth);
        var holdoutDays = Math.Min(horizonDays, spanDays / 2);
        if (holdoutDays < options.Modeling.MinimumHoldoutDays || spanDays - holdoutDays < options.Modeling.MinimumCalibrationDays)
        {
            return null;
        }

        return observationEnd.AddDays(-holdoutDays);
    }

    private static InputProblem NoRevenue(FileDescription file) => new(
        $"Every amount read (column {AmountColumns(file.Mapping)}) is zero, so there is no revenue to base a customer's value on.",
        "Check that this is the order value (choose the order total in the settings if not, rather than a discount, tax or shipping column) and that the export includes the amounts paid.");

    private static string AmountColumns(ColumnMapping mapping) =>
        mapping.Amount is not null ? $"\"{mapping.Amount}\"" : $"\"{mapping.Quantity}\" x \"{mapping.UnitPrice}\"";

    private static InputProblem NothingUsable(FileDescription file, CleaningReport report)
    {
        if (report.RowsRead == 0)
        {
            return new InputProblem(
                "No transaction rows could be read below the file's header line.",
                "Check that the file is a table with a header line and one transaction per line, and upload it again.");
        }

        var reasons = report.Rules.Where(r => r.Rows > 0 && r.Action == "dropped").OrderByDescending(r => r.Rows)
            .Take(3).Select(r => $"{r.Rows:N0} {Describe(r.Rule)}");
        var mapping = file.Mapping;
        var amount = mapping.Amount ?? (mapping.Quantity is not null ? $"{mapping.Quantity} x {mapping.UnitPrice}" : "none");
        return new InputProblem(
            $"None of the {report.RowsRead:N0} rows could be used: {string.Join(", ", reasons)}. " +
            $"The columns read were customer \"{mapping.CustomerId}\", date \"{mapping.Date}\", amount \"{amount}\".",
            "Check that those are the right columns (choose them in the settings if not), that the dates are readable, and that the observation end is not before the data.");
    }

    private static string Describe(string rule) => rule switch
    {
        "missing-customer-id" => "had no customer id",
        "missing-date" => "had no date",
        "unparseable-date" => "had a date that could not be read",
        "missing-amount" => "had no amount",
        "non-numeric-amount" => "had an amount that is not a number",
        "malformed-row" => "had the wrong number of fields",
        "customer-id-too-long" => "had a customer id too long to be one",
        "implausible-amount" => "had an amount too large to be real",
        "future-date" => "were dated in the future",
        "duplicate-row" => "were duplicates",
        "after-observation-end" => "were dated after the observation end",
        "zero-price" => "had a zero or negative price",
        "returns" => "were returns",
        "cancelled-invoice" => "were cancellations",
        "no-payment" => "were orders or payments that brought no money (voided, failed, cancelled)",
        _ => $"broke the rule {rule}",
    };
}
