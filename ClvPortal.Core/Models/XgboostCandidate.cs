using ClvPortal.Core.Features;
using ClvPortal.Core.Models.Xgboost;

namespace ClvPortal.Core.Models;

/// <summary>
/// XGBoost trained on this shop's history cut one window earlier: features (with BG/NBD's view over the
/// window) as of cut − window, target the revenue in the window up to the cut. The window is the
/// horizon, or half the history when that is shorter; a shorter window is stretched to the horizon
/// customer by customer with BG/NBD's expected purchases, which bend with each customer's dropout
/// instead of growing in a straight line. None without purchase dates.
/// </summary>
internal sealed class XgboostCandidate : IClvCandidate
{
    public string Name => ClvModeling.XgboostModel;

    public double[]? Predict(ForecastCut cut, IReadOnlyDictionary<string, double[]> earlier)
    {
        if (cut is not { History: { } history, At: { } at })
        {
            return null;
        }

        var (customers, fit, horizon, options, notes) = (cut.Customers, cut.Fit, cut.Horizon, cut.Options, cut.Notes);

        // The window is the horizon, or half the history, or what is left after the shortest calibration.
        var spanDays = at.DayNumber - history.FirstDate.DayNumber;
        var windowDays = (int)Math.Min(Math.Round(horizon.Units * options.DaysPerUnit), spanDays / 2);
        if (windowDays < options.MinimumHoldoutDays)
        {
            notes.Add($"The history up to {at:yyyy-MM-dd} covers {spanDays:N0} days, too short to train XGBoost on part of it and check it on the rest (it needs {options.MinimumCalibrationDays + options.MinimumHoldoutDays:N0}); it was not used for {cut.Window}.");
            return null;
        }

        var windowUnits = windowDays / options.DaysPerUnit;
        var trainCut = at.AddDays(-windowDays);
        var training = history.WithHoldout(trainCut, at).Where(c => c.HoldoutRevenue is { } r && double.IsFinite(r) && Forecaster.IsUsable(c)).ToList();
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
            notes.Add($"XGBoost was not trained for {cut.Window}: {(e is InputProblemException problem ? problem.Problem.ToString() : e.Message)}");
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
}
