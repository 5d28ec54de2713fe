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
    IReadOnlyList<string> Notes);
