using ClvPortal.Core.Features;

namespace ClvPortal.Core.Models;

/// <summary>How far ahead to predict: in the features' units, in months (for discounting), and the monthly discount rate.</summary>
internal sealed record Horizon(double Units, int Months, double MonthlyDiscountRate);

/// <summary>Every model's prediction for the customers of one cut, with BG/NBD's view of each customer.</summary>
internal sealed record Forecast(
    IReadOnlyList<CustomerFeatures> Customers,
    ProbabilisticFit? Fit,
    IReadOnlyDictionary<string, double[]> Candidates,
    double[] Baseline,
    double[] ExpectedPurchases,
    double[] ProbabilityAlive,
    double[] ExpectedValue,
    double[] NoPurchase);

/// <summary>
/// The forward procedure that produces the numbers a user sees, written once so that the backtest runs
/// exactly it: from the customers as of a cut date (and their history before it), fit BG/NBD +
/// Gamma-Gamma, let each candidate model predict each customer's revenue over the horizon after the cut,
/// and carry the yardstick alongside.
/// </summary>
internal static class Forecaster
{
    private static readonly BaselineCandidate Yardstick = new();

    /// <param name="candidates">The models, in order: each sees what the ones before it predicted from the same cut.</param>
    public static Forecast Predict(
        IReadOnlyList<IClvCandidate> candidates, CustomerHistory? history, DateOnly? cut, IReadOnlyList<CustomerFeatures> customers,
        Horizon horizon, ModelingOptions options, List<string> notes, string window)
    {
        var n = customers.Count;
        var fit = ProbabilisticFit.TryFit(customers, window, options.MinimumSpendModelCustomers, notes);
        var (purchases, alive, value, noPurchase) = (new double[n], new double[n], new double[n], new double[n]);
        if (fit is not null)
        {
            for (var i = 0; i < n; i++)
            {
                var c = customers[i];
                purchases[i] = fit.ExpectedPurchases(c, horizon.Units);
                alive[i] = fit.Purchases.ProbabilityAlive(c.Frequency, c.Recency, c.T);
                value[i] = fit.ExpectedValue(c);
                noPurchase[i] = fit.Purchases.ProbabilityNoPurchase(horizon.Units, c.Frequency, c.Recency, c.T);
            }
        }
        else
        {
            Array.Fill(alive, double.NaN);
            Array.Fill(noPurchase, double.NaN);
        }

        var at = new ForecastCut(history, cut, customers, fit, horizon, options, notes, window);
        var predicted = new Dictionary<string, double[]>();
        foreach (var candidate in candidates)
        {
            if (candidate.Predict(at, predicted) is { } clv)
            {
                predicted[candidate.Name] = clv;
            }
        }

        return new Forecast(customers, fit, predicted, Yardstick.Predict(at, predicted), purchases, alive, value, noPurchase);
    }

    internal static bool IsUsable(CustomerFeatures c) =>
        c.Frequency >= 0 && double.IsFinite(c.Recency) && double.IsFinite(c.T) && double.IsFinite(c.MonetaryValue)
        && double.IsFinite(c.TotalRevenue) && c.Recency >= 0 && c.Recency <= c.T;
}
