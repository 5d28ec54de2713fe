using System.Globalization;
using ClvPortal.Core.Features;

namespace ClvPortal.Core.Models;

/// <summary>
/// The modeling step of an analysis. One forward procedure (<see cref="Forecaster"/>) makes every number
/// a user sees: XGBoost, BG/NBD + Gamma-Gamma and their mean, each customer's revenue over the horizon.
/// The backtest runs exactly that procedure on the data cut one holdout earlier and compares it with what
/// customers really spent after the cut; <see cref="HeadlineChoice"/> then picks the headline from that
/// out-of-time table (calibration gate, chance level, bootstrap), and its errors give the ranges.
/// Problems with the data (too short, no repeat buyers, no revenue, broken values) become notes,
/// fallbacks and a reliability that says so, never exceptions.
/// </summary>
public static class ClvModeling
{
    public const string XgboostModel = "xgboost";
    public const string ProbabilisticModel = "bgnbd-gammagamma";
    public const string EnsembleModel = "ensemble";
    public const string BaselineModel = "baseline";
    public const string ShippedModel = "shipped-xgboost";

    /// <summary>
    /// Backtests and predicts from a purchase history. With <see cref="ModelingOptions.HoldoutLength"/>
    /// above 0 the data is cut that many units before its end for the backtest.
    /// </summary>
    /// <param name="shipped">The model shipped with the app, used only when nothing can be fitted on this shop's own data (null: none).</param>
    public static ModelingResult Run(CustomerHistory history, ModelingOptions options, OnnxClvModel? shipped = null)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(options);
        return Run(history, history.AsOf(history.ObservationEnd), options, shipped);
    }

    /// <summary>
    /// Predicts from customer summaries alone: without purchase dates nothing can be held out or trained
    /// on an earlier cut, so only BG/NBD + Gamma-Gamma (or the shipped model) predict, untested.
    /// </summary>
    public static ModelingResult Run(IReadOnlyList<CustomerFeatures> customers, ModelingOptions options, OnnxClvModel? shipped = null)
    {
        ArgumentNullException.ThrowIfNull(customers);
        ArgumentNullException.ThrowIfNull(options);
        return Run(null, customers, options, shipped);
    }

    private static ModelingResult Run(CustomerHistory? history, IReadOnlyList<CustomerFeatures> customers, ModelingOptions options, OnnxClvModel? shipped)
    {
        var notes = new List<string>();
        var full = Usable(customers, "customers", notes);
        if (full.Count == 0)
        {
            return NoCustomers(options, notes);
        }

        WarnAboutData(full, notes);
        var candidates = Candidates(shipped);
        var missing = new List<string>();
        var backtest = history is null
            ? NoHistory(missing)
            : Backtest(candidates, history, options, notes, missing);

        var horizon = new Horizon(options.HorizonUnits, options.HorizonMonths, options.MonthlyDiscountRate);
        var forward = Forecaster.Predict(candidates, history, history?.ObservationEnd, full, horizon, options, notes, "all the data");
        var choice = HeadlineChoice.Choose(backtest, forward, options);
        notes.AddRange(choice.Notes);
        return Result(forward, backtest, choice, options, notes, missing);
    }

    /// <summary>
    /// The models of an analysis, in the order they predict: the ensemble averages the two before it, and the
    /// shipped model (another shop's) steps in only when none of this shop's own could be fitted.
    /// </summary>
    private static IClvCandidate[] Candidates(OnnxClvModel? shipped) => shipped is null
        ? [new XgboostCandidate(), new ProbabilisticCandidate(), new EnsembleCandidate()]
        : [new XgboostCandidate(), new ProbabilisticCandidate(), new EnsembleCandidate(), new ShippedCandidate(shipped)];

    private static ModelingResult NoCustomers(ModelingOptions options, List<string> notes)
    {
        notes.Add("There are no customers with usable purchase histories, so no CLV could be predicted.");
        return new ModelingResult(BaselineModel, "No customers to model.", options.HorizonMonths * ProbabilisticClv.DaysPerMonth, [], null, null, [], notes)
        {
            ReliabilityMessage = "There are no customers with usable purchase histories, so nothing could be predicted.",
            MissingData = ["customers with at least one purchase"],
        };
    }

    private static void WarnAboutData(List<CustomerFeatures> full, List<string> notes)
    {
        if (full.Count == 1)
        {
            notes.Add("There is a single customer: the models learn from differences between customers, so no CLV could be learned from this file.");
        }

        if (full.All(c => c.TotalRevenue == 0))
        {
            notes.Add("Every customer's revenue is zero, so every predicted CLV is zero. Check that the amount column is mapped to revenue (price × quantity), not to a code or a quantity of zero.");
        }
    }

    /// <summary>Each customer's figures from the chosen model, its tier and churn risk, and the ranges the backtest supports.</summary>
    private static ModelingResult Result(Forecast forward, BacktestRun? backtest, Choice choice, ModelingOptions options, List<string> notes, List<string> missing)
    {
        var full = forward.Customers;
        var headlineClv = choice.Model == BaselineModel ? forward.Baseline : forward.Candidates[choice.Model];
        var tiers = CustomerSegments.Tiers(headlineClv);
        var predictions = new CustomerPrediction[full.Count];
        var xgboost = forward.Candidates.GetValueOrDefault(XgboostModel) ?? forward.Candidates.GetValueOrDefault(ShippedModel);
        var probabilistic = forward.Candidates.GetValueOrDefault(ProbabilisticModel);
        for (var i = 0; i < full.Count; i++)
        {
            // Calibrated on the backtest's real outcomes when there was one; BG/NBD's own probability otherwise.
            var noPurchase = backtest?.Churn is { } churn && !double.IsNaN(forward.NoPurchase[i])
                ? churn.Probability(forward.ExpectedPurchases[i])
                : forward.NoPurchase[i];
            var level = double.IsNaN(noPurchase) ? (ChurnLevel?)null : CustomerSegments.Churn(noPurchase, options.ChurnMediumProbability, options.ChurnHighProbability);
            predictions[i] = new CustomerPrediction(
                full[i].CustomerId,
                XgbClv: xgboost?[i] ?? 0,
                ExpectedPurchases: forward.ExpectedPurchases[i],
                ProbabilityAlive: double.IsNaN(forward.ProbabilityAlive[i]) ? 1 : forward.ProbabilityAlive[i],
                ExpectedAverageValue: forward.ExpectedValue[i],
                ProbabilisticClv: probabilistic?[i] ?? 0,
                BaselineClv: forward.Baseline[i],
                HeadlineClv: headlineClv[i],
                Tier: tiers[i],
                ChurnRisk: level == ChurnLevel.High)
            {
                ChurnProbability = noPurchase,
                ChurnLevel = level,
            };
        }

        var total = headlineClv.Sum();
        var tierTotals = Enum.GetValues<ValueTier>().ToDictionary(t => t, t => predictions.Where(p => p.Tier == t).Sum(p => p.HeadlineClv));
        var horizonDays = options.HorizonMonths * ProbabilisticClv.DaysPerMonth;
        return new ModelingResult(choice.Model, choice.Reason, horizonDays, backtest?.Table ?? [], forward.Fit?.Purchases, forward.Fit?.Spend, predictions, notes)
        {
            Reliability = choice.Reliability,
            ReliabilityMessage = choice.Message,
            HeadlineRange = choice.TotalRatio is { } ratio ? Scale(total, ratio) : null,
            TierRanges = choice.TierRatios.ToDictionary(r => r.Key, r => Scale(tierTotals[r.Key], r.Value)),
            TiersReliable = choice.TiersReliable,
            Calibration = backtest?.Calibration,
            MissingData = missing,
        };
    }

    /// <summary>
    /// The range of a total from the backtest's range of actual ÷ predicted, as far either way as the backtest
    /// was off at most: one past period says how large the miss can be, not which way the next one goes (on
    /// CDNOW cut at 1997-09-30 the backtest over-predicted by 15% and the forecast under-predicted by 5%).
    /// </summary>
    private static ValueRange Scale(double total, ValueRange ratio)
    {
        var spread = Math.Max(Math.Abs(1 - ratio.Low), Math.Abs(ratio.High - 1));
        return new(total * Math.Max(0, 1 - spread), total * (1 + spread));
    }

    private static BacktestRun? NoHistory(List<string> missing)
    {
        missing.Add("purchase dates for every customer, so that part of the history can be held out");
        return null;
    }

    /// <summary>
    /// The out-of-time backtest: cut the history <see cref="ModelingOptions.HoldoutLength"/> before its
    /// end, let every candidate predict as of the cut with the holdout as horizon, and score each one (and
    /// the yardstick) against what each customer really spent after the cut. Null, listing what is missing, when the
    /// data cannot support one.
    /// </summary>
    private static BacktestRun? Backtest(IClvCandidate[] candidates, CustomerHistory history, ModelingOptions options, List<string> notes, List<string> missing)
    {
        var holdoutDays = (int)Math.Round(options.HoldoutLength * options.DaysPerUnit);
        var spanDays = history.ObservationEnd.DayNumber - history.FirstDate.DayNumber;
        var calibrationDays = spanDays - holdoutDays;
        if (holdoutDays < options.MinimumHoldoutDays || calibrationDays < options.MinimumCalibrationDays)
        {
            missing.Add(string.Create(CultureInfo.InvariantCulture,
                $"at least {options.MinimumCalibrationDays + options.MinimumHoldoutDays:F0} days of history, so that {options.MinimumHoldoutDays:F0} or more can be held out to test the predictions (your file covers {spanDays:N0} days)"));
            return null;
        }

        var cut = history.ObservationEnd.AddDays(-holdoutDays);
        var calibration = Usable(history.WithHoldout(cut, history.ObservationEnd), "calibration customers", notes)
            .Where(c => c.HoldoutRevenue is { } r && double.IsFinite(r)).ToList();
        if (calibration.Count < options.MinimumBacktestCustomers)
        {
            missing.Add($"at least {options.MinimumBacktestCustomers:N0} customers who bought before {cut:yyyy-MM-dd}, the start of the test period (your file has {calibration.Count:N0})");
            return null;
        }

        if (calibration.All(c => c.HoldoutRevenue == 0))
        {
            missing.Add($"purchases after {cut:yyyy-MM-dd} by customers who had bought before it, to compare the predictions with (there are none)");
            return null;
        }

        var horizon = new Horizon(options.HoldoutLength, (int)Math.Round(holdoutDays / ProbabilisticClv.DaysPerMonth), 0);
        var forecast = Forecaster.Predict(candidates, history, cut, calibration, horizon, options, notes, "the calibration window");
        var actual = calibration.Select(c => c.HoldoutRevenue!.Value).ToArray();
        var table = new List<ModelBacktest> { BacktestMetrics.Evaluate(BaselineModel, forecast.Baseline, actual) };
        table.AddRange(forecast.Candidates.Select(m => BacktestMetrics.Evaluate(m.Key, m.Value, actual)));
        bool[] boughtNothing = [.. calibration.Select(c => c.HoldoutPurchases is 0)];
        var churn = forecast.Fit is null ? null : ChurnCalibration.Fit(forecast.ExpectedPurchases, boughtNothing);
        var fit = new CalibrationFit(cut, history.ObservationEnd, options.HoldoutLength, calibration.Count, forecast.Fit?.Purchases, forecast.Fit?.Spend, forecast.Fit?.RepeatBuyers ?? 0)
        {
            ChurnAuc = forecast.Fit is null ? double.NaN : BacktestMetrics.Auc([.. forecast.ExpectedPurchases.Select(e => -e)], boughtNothing),
        };
        return new BacktestRun(fit, forecast, actual, table, churn);
    }

    /// <summary>The mean of 1 / (1 + d)^i over months i = 1..M: the discount of revenue spread evenly over the horizon.</summary>
    internal static double EvenSpreadDiscount(int months, double monthlyDiscountRate)
    {
        if (months <= 0 || monthlyDiscountRate == 0)
        {
            return 1;
        }

        var sum = 0.0;
        for (var i = 1; i <= months; i++)
        {
            sum += 1 / Math.Pow(1 + monthlyDiscountRate, i);
        }

        return sum / months;
    }

    internal static string Describe(string model) => model switch
    {
        XgboostModel => "XGBoost",
        ProbabilisticModel => "BG/NBD + Gamma-Gamma",
        EnsembleModel => "The average of XGBoost and BG/NBD + Gamma-Gamma",
        ShippedModel => "The shipped XGBoost model",
        _ => "The baseline (past repeat spending rate)",
    };

    private static List<CustomerFeatures> Usable(IReadOnlyList<CustomerFeatures> customers, string what, List<string> notes)
    {
        var usable = customers.Where(Forecaster.IsUsable).ToList();
        if (usable.Count < customers.Count)
        {
            notes.Add($"{customers.Count - usable.Count} {what} had missing, infinite or inconsistent values (recency, age or revenue) and were left out of the models.");
        }

        return usable;
    }
}

/// <summary>The out-of-time backtest: its cut and fit, the forecast made at the cut, what customers really spent after it, and the scores.</summary>
internal sealed record BacktestRun(CalibrationFit Calibration, Forecast Forecast, double[] Actual, List<ModelBacktest> Table, ChurnCalibration? Churn);
