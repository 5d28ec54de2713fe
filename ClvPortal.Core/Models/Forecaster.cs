using ClvPortal.Core.Features;
using ClvPortal.Core.Models.Xgboost;

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
/// Gamma-Gamma, train XGBoost on an earlier cut of the same history (features then, revenue in the window
/// after it), and predict each customer's revenue over the horizon after the cut.
/// </summary>
internal static class Forecaster
{
    public static Forecast Predict(
        CustomerHistory? history, DateOnly? cut, IReadOnlyList<CustomerFeatures> customers, Horizon horizon,
        ModelingOptions options, OnnxClvModel? shipped, List<string> notes, string window)
    {
        var n = customers.Count;
        var fit = ProbabilisticFit.TryFit(customers, window, options.MinimumSpendModelCustomers, notes);
        var unitsPerMonth = ProbabilisticClv.DaysPerMonth / options.DaysPerUnit;
        var (purchases, alive, value, noPurchase) = (new double[n], new double[n], new double[n], new double[n]);
        double[]? probabilistic = null;
        if (fit is not null)
        {
            probabilistic = new double[n];
            for (var i = 0; i < n; i++)
            {
                var c = customers[i];
                purchases[i] = fit.ExpectedPurchases(c, horizon.Units);
                alive[i] = fit.Purchases.ProbabilityAlive(c.Frequency, c.Recency, c.T);
                value[i] = fit.ExpectedValue(c);
                noPurchase[i] = fit.Purchases.ProbabilityNoPurchase(horizon.Units, c.Frequency, c.Recency, c.T);
                probabilistic[i] = fit.Clv(c, horizon.Units, horizon.Months, horizon.MonthlyDiscountRate, unitsPerMonth);
            }
        }
        else
        {
            Array.Fill(alive, double.NaN);
            Array.Fill(noPurchase, double.NaN);
        }

        var candidates = new Dictionary<string, double[]>();
        var xgboost = history is not null && cut is { } at ? Xgboost(history, at, customers, fit, horizon, options, notes, window) : null;
        if (xgboost is not null)
        {
            candidates[ClvModeling.XgboostModel] = xgboost;
        }

        if (probabilistic is not null)
        {
            candidates[ClvModeling.ProbabilisticModel] = probabilistic;
        }

        if (xgboost is not null && probabilistic is not null)
        {
            candidates[ClvModeling.EnsembleModel] = [.. xgboost.Zip(probabilistic, (x, p) => (x + p) / 2)];
        }

        // The shipped model learned from another shop: only when nothing of this shop's own could be fitted.
        if (candidates.Count == 0 && shipped is not null && Shipped(shipped, customers, horizon, options, notes) is { } shippedClv)
        {
            candidates[ClvModeling.ShippedModel] = shippedClv;
        }

        return new Forecast(customers, fit, candidates, Baseline(customers, horizon, options), purchases, alive, value, noPurchase);
    }

    /// <summary>
    /// The yardstick: each customer's past repeat spending (frequency × mean repeat value) per unit of
    /// age, carried over the horizon. Total revenue ÷ age would carry the first, acquisition purchase
    /// forward as if it recurred (+100% and more on real files); age counts at least a month, so a
    /// customer who bought twice in their first days is not extrapolated from a 1-day rate.
    /// </summary>
    public static double[] Baseline(IReadOnlyList<CustomerFeatures> customers, Horizon horizon, ModelingOptions options)
    {
        var minimumAge = ProbabilisticClv.DaysPerMonth / options.DaysPerUnit;
        var factor = ClvModeling.EvenSpreadDiscount(horizon.Months, horizon.MonthlyDiscountRate);
        return [.. customers.Select(c => Math.Max(c.Frequency * c.MonetaryValue, 0) / Math.Max(c.T, minimumAge) * horizon.Units * factor)];
    }

    /// <summary>
    /// XGBoost trained on this history cut one window earlier: features (with BG/NBD's view over the
    /// window) as of cut − window, target the revenue in the window up to the cut. The window is the
    /// horizon, or half the history when that is shorter; a shorter window is stretched to the horizon
    /// customer by customer with BG/NBD's expected purchases, which bend with each customer's dropout
    /// instead of growing in a straight line.
    /// </summary>
    private static double[]? Xgboost(
        CustomerHistory history, DateOnly cut, IReadOnlyList<CustomerFeatures> customers, ProbabilisticFit? fit, Horizon horizon,
        ModelingOptions options, List<string> notes, string window)
    {
        // The window is the horizon, or half the history, or what is left after the shortest calibration.
        var spanDays = cut.DayNumber - history.FirstDate.DayNumber;
        var windowDays = (int)Math.Min(Math.Round(horizon.Units * options.DaysPerUnit), spanDays / 2);
        if (windowDays < options.MinimumHoldoutDays)
        {
            notes.Add($"The history up to {cut:yyyy-MM-dd} covers {spanDays:N0} days, too short to train XGBoost on part of it and check it on the rest (it needs {options.MinimumCalibrationDays + options.MinimumHoldoutDays:N0}); it was not used for {window}.");
            return null;
        }

        var windowUnits = windowDays / options.DaysPerUnit;
        var trainCut = cut.AddDays(-windowDays);
        var training = history.WithHoldout(trainCut, cut).Where(c => c.HoldoutRevenue is { } r && double.IsFinite(r) && IsUsable(c)).ToList();
        var trainingFit = ProbabilisticFit.TryFit(training, $"the data up to {trainCut:yyyy-MM-dd}", options.MinimumSpendModelCustomers, []);
        var inputs = trainingFit is null ? training : [.. training.Select(c => trainingFit.WithSignals(c, windowUnits))];
        var xgbOptions = options.Xgboost with { TimeUnit = options.TimeUnit, HorizonDays = windowDays, Features = options.Features };
        try
        {
            using var trained = XgbClvTrainer.Train(inputs, xgbOptions);
            var scoring = fit is null ? customers : [.. customers.Select(c => fit.WithSignals(c, windowUnits))];
            var predicted = trained.Model.Predict(scoring, options.TimeUnit);
            var discount = ClvModeling.EvenSpreadDiscount(horizon.Months, horizon.MonthlyDiscountRate);
            for (var i = 0; i < predicted.Length; i++)
            {
                predicted[i] *= Stretch(fit, customers[i], windowUnits, horizon.Units) * discount;
            }

            return predicted;
        }
        catch (Exception e) when (e is InputProblemException or XgboostException)
        {
            notes.Add($"XGBoost was not trained for {window}: {(e is InputProblemException problem ? problem.Problem.ToString() : e.Message)}");
            return null;
        }
    }

    /// <summary>Expected purchases over the horizon over those over the training window (the plain ratio of lengths without a fit).</summary>
    private static double Stretch(ProbabilisticFit? fit, CustomerFeatures c, double windowUnits, double horizonUnits)
    {
        if (Math.Abs(horizonUnits - windowUnits) < 1e-9)
        {
            return 1;
        }

        if (fit is not null)
        {
            var over = fit.ExpectedPurchases(c, windowUnits);
            if (over > 1e-12)
            {
                return fit.ExpectedPurchases(c, horizonUnits) / over;
            }
        }

        return horizonUnits / windowUnits;
    }

    /// <summary>
    /// The shipped model's predictions, scaled from the window it was trained for to the horizon and from
    /// its training shop's average order value to this shop's (a 1997 CD shop's $37 orders say little of
    /// another shop's basket). Null, with a note, when it cannot score these customers.
    /// </summary>
    private static double[]? Shipped(OnnxClvModel shipped, IReadOnlyList<CustomerFeatures> customers, Horizon horizon, ModelingOptions options, List<string> notes)
    {
        var horizonDays = horizon.Units * options.DaysPerUnit;
        var scale = double.IsFinite(shipped.HorizonDays) && shipped.HorizonDays > 0 ? horizonDays / shipped.HorizonDays : 1;
        var orders = customers.Sum(c => (double)c.Orders);
        var shopOrderValue = orders > 0 ? customers.Sum(c => Math.Max(c.TotalRevenue, 0)) / orders : double.NaN;
        if (double.IsFinite(shipped.AverageOrderValue) && shipped.AverageOrderValue > 0 && double.IsFinite(shopOrderValue) && shopOrderValue > 0)
        {
            scale *= shopOrderValue / shipped.AverageOrderValue;
        }

        try
        {
            var predicted = shipped.Predict(customers, options.TimeUnit);
            var discount = ClvModeling.EvenSpreadDiscount(horizon.Months, horizon.MonthlyDiscountRate);
            return [.. predicted.Select(p => p * scale * discount)];
        }
        catch (InputProblemException e)
        {
            notes.Add($"The shipped XGBoost model could not score these customers: {e.Problem}");
            return null;
        }
    }

    internal static bool IsUsable(CustomerFeatures c) =>
        c.Frequency >= 0 && double.IsFinite(c.Recency) && double.IsFinite(c.T) && double.IsFinite(c.MonetaryValue)
        && double.IsFinite(c.TotalRevenue) && c.Recency >= 0 && c.Recency <= c.T;
}
