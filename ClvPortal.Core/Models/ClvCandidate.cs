using ClvPortal.Core.Features;

namespace ClvPortal.Core.Models;

/// <summary>
/// The data as of one cut, as every model sees it: the customers then (with their purchase history before the
/// cut, when there is one), BG/NBD + Gamma-Gamma fitted on them, and how far ahead to predict.
/// </summary>
/// <param name="Notes">Where a model that cannot predict from this cut says why.</param>
/// <param name="Window">The cut in words for those notes: "all the data", "the calibration window".</param>
internal sealed record ForecastCut(
    CustomerHistory? History,
    DateOnly? At,
    IReadOnlyList<CustomerFeatures> Customers,
    ProbabilisticFit? Fit,
    Horizon Horizon,
    ModelingOptions Options,
    List<string> Notes,
    string Window);

/// <summary>
/// One model of the analysis: each customer's revenue over the horizon after a cut. One method, not a
/// "backtest" and a "predict": the backtest is this same call on the data cut one holdout earlier, so what
/// it scores is exactly the procedure that makes the numbers a user sees.
/// </summary>
internal interface IClvCandidate
{
    /// <summary>The model's stored identity (<see cref="ClvModeling.XgboostModel"/>, …): backtest tables and results are keyed by it.</summary>
    string Name { get; }

    /// <summary>Each customer's revenue over the horizon, in the order of <see cref="ForecastCut.Customers"/>; null when the model cannot predict from this cut.</summary>
    /// <param name="earlier">What the models listed before this one predicted from the same cut, by name.</param>
    double[]? Predict(ForecastCut cut, IReadOnlyDictionary<string, double[]> earlier);
}

/// <summary>BG/NBD + Gamma-Gamma: expected purchases × expected spend per purchase, discounted; none without a fit.</summary>
internal sealed class ProbabilisticCandidate : IClvCandidate
{
    public string Name => ClvModeling.ProbabilisticModel;

    public double[]? Predict(ForecastCut cut, IReadOnlyDictionary<string, double[]> earlier)
    {
        if (cut.Fit is not { } fit)
        {
            return null;
        }

        var (horizon, unitsPerMonth) = (cut.Horizon, ProbabilisticClv.DaysPerMonth / cut.Options.DaysPerUnit);
        return [.. cut.Customers.Select(c => fit.Clv(c, horizon.Units, horizon.Months, horizon.MonthlyDiscountRate, unitsPerMonth))];
    }
}

/// <summary>
/// The mean of XGBoost and BG/NBD + Gamma-Gamma, when both predicted: two models with different biases
/// averaged cancel part of each one's error (Bates &amp; Granger 1969).
/// </summary>
internal sealed class EnsembleCandidate : IClvCandidate
{
    public string Name => ClvModeling.EnsembleModel;

    public double[]? Predict(ForecastCut cut, IReadOnlyDictionary<string, double[]> earlier) =>
        earlier.TryGetValue(ClvModeling.XgboostModel, out var xgboost) && earlier.TryGetValue(ClvModeling.ProbabilisticModel, out var probabilistic)
            ? [.. xgboost.Zip(probabilistic, (x, p) => (x + p) / 2)]
            : null;
}

/// <summary>
/// The yardstick: each customer's past repeat spending (frequency × mean repeat value) per unit of age,
/// carried over the horizon. It sits in every backtest table and gives the figures only when no model could
/// be fitted; it is never chosen as the headline.
/// </summary>
internal sealed class BaselineCandidate : IClvCandidate
{
    public string Name => ClvModeling.BaselineModel;

    public double[] Predict(ForecastCut cut, IReadOnlyDictionary<string, double[]> earlier) => Predict(cut.Customers, cut.Horizon, cut.Options);

    /// <summary>
    /// Total revenue ÷ age would carry the first, acquisition purchase forward as if it recurred (+100% and
    /// more on real files); age counts at least a month, so a customer who bought twice in their first days
    /// is not extrapolated from a 1-day rate.
    /// </summary>
    public static double[] Predict(IReadOnlyList<CustomerFeatures> customers, Horizon horizon, ModelingOptions options)
    {
        var minimumAge = ProbabilisticClv.DaysPerMonth / options.DaysPerUnit;
        var factor = ClvModeling.EvenSpreadDiscount(horizon.Months, horizon.MonthlyDiscountRate);
        return [.. customers.Select(c => Math.Max(c.Frequency * c.MonetaryValue, 0) / Math.Max(c.T, minimumAge) * horizon.Units * factor)];
    }
}
