namespace ClvPortal.Core.Models;

/// <summary>The fitted BG/NBD parameters (Fader, Hardie &amp; Lee 2005).</summary>
public sealed record BgNbdParameters(double R, double Alpha, double A, double B);

/// <summary>The fitted Gamma-Gamma spend parameters (Fader &amp; Hardie 2013).</summary>
public sealed record GammaGammaParameters(double P, double Q, double V);

/// <summary>
/// What the models said about a dataset: the backtest of every model on a calibration/holdout split
/// (when the data is long enough), the winner that gives the headline CLV, and every customer's
/// predictions over the horizon after refitting on all data.
/// </summary>
/// <param name="HeadlineModel">Name of the model whose CLV is the headline ("xgboost", "bgnbd-gammagamma", "baseline", "shipped-xgboost").</param>
/// <param name="HeadlineReason">Why it was chosen, in words for the results page.</param>
/// <param name="Notes">Things the user should know (fell back to the shipped model because ..., too few repeat buyers for Gamma-Gamma, ...).</param>
public sealed record ModelingResult(
    string HeadlineModel,
    string HeadlineReason,
    double HorizonDays,
    IReadOnlyList<ModelBacktest> Backtests,
    BgNbdParameters? BgNbd,
    GammaGammaParameters? GammaGamma,
    IReadOnlyList<CustomerPrediction> Predictions,
    IReadOnlyList<string> Notes)
{
    /// <summary>How far the headline can be trusted, from the out-of-time backtest of the procedure that made it.</summary>
    public ForecastReliability Reliability { get; init; } = ForecastReliability.Untested;

    /// <summary>The reliability in plain words, for the top of the results page.</summary>
    public string ReliabilityMessage { get; init; } = "";

    /// <summary>Where the headline total likely lies (about 95%), from the backtest's errors; null when untested.</summary>
    public ValueRange? HeadlineRange { get; init; }

    /// <summary>The same range for each value tier's total; empty when untested.</summary>
    public IReadOnlyDictionary<ValueTier, ValueRange> TierRanges { get; init; } = new Dictionary<ValueTier, ValueRange>();

    /// <summary>False when no model ranked customers better than chance: per-customer values and tiers are then not to be acted on.</summary>
    public bool TiersReliable { get; init; }

    /// <summary>The backtest's setup and the BG/NBD and Gamma-Gamma parameters fitted on its calibration window (the ones papers publish).</summary>
    public CalibrationFit? Calibration { get; init; }

    /// <summary>What the data lacks for a backtest (empty when one ran), each naming what is needed and what the file has.</summary>
    public IReadOnlyList<string> MissingData { get; init; } = [];
}

/// <summary>How far a headline CLV can be trusted.</summary>
public enum ForecastReliability
{
    /// <summary>Backtested out of time: the headline model's total and decile errors passed the calibration gate and it ranks better than chance.</summary>
    Tested,

    /// <summary>Backtested, but no model's amounts came close enough to what customers really spent.</summary>
    PoorlyCalibrated,

    /// <summary>Backtested, and no model ranked customers better than chance: totals only, no per-customer use.</summary>
    NoSignal,

    /// <summary>The history is too short or too small for a backtest.</summary>
    Untested,
}

/// <summary>A likely range (about 95%) of a predicted total.</summary>
public sealed record ValueRange(double Low, double High);

/// <summary>
/// The out-of-time backtest's calibration window: the data was cut at <paramref name="CalibrationEnd"/>, the
/// models refitted on what came before and asked for the next <paramref name="HoldoutLength"/> units.
/// </summary>
public sealed record CalibrationFit(
    DateOnly CalibrationEnd,
    DateOnly HoldoutEnd,
    double HoldoutLength,
    int Customers,
    BgNbdParameters? BgNbd,
    GammaGammaParameters? GammaGamma,
    int RepeatBuyers)
{
    /// <summary>
    /// How well the churn probability (no purchase within the holdout) separated the customers who
    /// really bought nothing from those who did: the area under the ROC curve (0.5 = chance). NaN without a fit.
    /// </summary>
    public double ChurnAuc { get; init; } = double.NaN;
}
