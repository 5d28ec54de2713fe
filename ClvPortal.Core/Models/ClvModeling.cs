using System.Globalization;
using ClvPortal.Core.Features;
using ClvPortal.Core.Models.Xgboost;

namespace ClvPortal.Core.Models;

/// <summary>
/// The modeling step of an analysis. On a calibration/holdout split it fits every model on the
/// calibration window, predicts the holdout and scores each prediction (<see cref="BacktestMetrics"/>);
/// the best normalized Gini (ties: lower decile MAPE) gives the headline CLV. Then it refits on all
/// data and predicts every customer's next <see cref="ModelingOptions.HorizonMonths"/> months.
/// Problems with the data (too short, no repeat buyers, no revenue, broken values) become notes and
/// fallbacks, never exceptions.
/// </summary>
public static class ClvModeling
{
    public const string XgboostModel = "xgboost";
    public const string ProbabilisticModel = "bgnbd-gammagamma";
    public const string BaselineModel = "baseline";
    public const string ShippedModel = "shipped-xgboost";

    /// <param name="calibration">Customers with features from the calibration window and holdout targets, or null when the data is too short to split.</param>
    /// <param name="customers">Every customer's features over all the data: the predictions are for them, in their order.</param>
    /// <param name="shipped">The model shipped with the app, used when XGBoost cannot be trained on this data (null: none).</param>
    public static ModelingResult Run(
        IReadOnlyList<CustomerFeatures>? calibration, IReadOnlyList<CustomerFeatures> customers, ModelingOptions options, OnnxClvModel? shipped = null)
    {
        ArgumentNullException.ThrowIfNull(customers);
        ArgumentNullException.ThrowIfNull(options);
        var notes = new List<string>();
        var horizonDays = options.HorizonMonths * ProbabilisticClv.DaysPerMonth;
        var full = Usable(customers, "customers", notes);
        if (full.Count == 0)
        {
            notes.Add("There are no customers with usable purchase histories, so no CLV could be predicted.");
            return new ModelingResult(BaselineModel, "No customers to model.", horizonDays, [], null, null, [], notes);
        }

        if (full.Count == 1)
        {
            notes.Add("There is a single customer: the models learn from differences between customers, so the CLV shown is that customer's own past spending rate.");
        }

        if (full.All(c => c.TotalRevenue == 0))
        {
            notes.Add("Every customer's revenue is zero, so every predicted CLV is zero. Check that the amount column is mapped to revenue (price × quantity), not to a code or a quantity of zero.");
        }

        // Backtest on the calibration/holdout split.
        var backtests = new List<ModelBacktest>();
        var backtestData = BacktestData(calibration, options, notes);
        double[]? xgboost = null;
        double[]? shippedClv = null;
        if (backtestData is not null)
        {
            var actual = backtestData.Select(c => c.HoldoutRevenue!.Value).ToArray();
            backtests.Add(BacktestMetrics.Evaluate(BaselineModel, Baseline(backtestData, options.HoldoutLength, options.HorizonMonths, 0), actual));
            var calibrationFit = ProbabilisticFit.TryFit(backtestData, "the calibration window", options.MinimumSpendModelCustomers, notes);
            if (calibrationFit is not null)
            {
                var predicted = backtestData.Select(c => calibrationFit.Clv(c, options.HoldoutLength, options.HorizonMonths, 0, 1)).ToArray();
                backtests.Add(BacktestMetrics.Evaluate(ProbabilisticModel, predicted, actual));
            }

            if (XgboostOutOfFold(backtestData, options, notes) is { } outOfFold)
            {
                backtests.Add(BacktestMetrics.Evaluate(XgboostModel, outOfFold, actual));
                xgboost = XgboostFuture(backtestData, full, options, notes);
            }
        }

        if (xgboost is null && shipped is not null)
        {
            shippedClv = ShippedPredictions(shipped, full, options, notes);
            if (shippedClv is not null && backtestData is not null
                && ShippedPredictions(shipped, backtestData, options, notes, options.HoldoutLength) is { } shippedHoldout)
            {
                backtests.Add(BacktestMetrics.Evaluate(ShippedModel, shippedHoldout, [.. backtestData.Select(c => c.HoldoutRevenue!.Value)]));
            }
        }

        // Refit on all data and predict the horizon.
        var fullFit = full.Count > 1 ? ProbabilisticFit.TryFit(full, "all the data", options.MinimumSpendModelCustomers, notes) : null;
        var horizon = options.HorizonUnits;
        var unitsPerMonth = ProbabilisticClv.DaysPerMonth / options.DaysPerUnit;
        var baseline = Baseline(full, horizon, options.HorizonMonths, options.MonthlyDiscountRate);
        var probabilistic = fullFit is null
            ? null
            : full.Select(c => fullFit.Clv(c, horizon, options.HorizonMonths, options.MonthlyDiscountRate, unitsPerMonth)).ToArray();

        var candidates = new Dictionary<string, double[]> { [BaselineModel] = baseline };
        if (probabilistic is not null)
        {
            candidates[ProbabilisticModel] = probabilistic;
        }

        if (xgboost is not null)
        {
            candidates[XgboostModel] = xgboost;
        }

        if (shippedClv is not null)
        {
            candidates[ShippedModel] = shippedClv;
        }

        var (headline, reason) = ChooseHeadline(backtests, candidates);
        var headlineClv = candidates[headline];
        var tiers = CustomerSegments.Tiers(headlineClv);
        var predictions = new CustomerPrediction[full.Count];
        for (var i = 0; i < full.Count; i++)
        {
            var c = full[i];
            var alive = fullFit?.Purchases.ProbabilityAlive(c.Frequency, c.Recency, c.T) ?? double.NaN;
            predictions[i] = new CustomerPrediction(
                c.CustomerId,
                XgbClv: xgboost?[i] ?? shippedClv?[i] ?? 0,
                ExpectedPurchases: fullFit?.Purchases.ConditionalExpectedPurchases(horizon, c.Frequency, c.Recency, c.T) ?? 0,
                ProbabilityAlive: double.IsNaN(alive) ? 1 : alive,
                ExpectedAverageValue: fullFit?.ExpectedValue(c) ?? 0,
                ProbabilisticClv: probabilistic?[i] ?? 0,
                BaselineClv: baseline[i],
                HeadlineClv: headlineClv[i],
                Tier: tiers[i],
                ChurnRisk: !double.IsNaN(alive) && CustomerSegments.IsChurnRisk(alive, options.ChurnThreshold));
        }

        return new ModelingResult(headline, reason, horizonDays, backtests, fullFit?.Purchases, fullFit?.Spend, predictions, notes);
    }

    /// <summary>
    /// The naive baseline: a customer keeps spending at their past rate, calibration revenue per
    /// unit of age T (at least one unit, so a customer first seen on the last day is not divided by
    /// zero), times the horizon; discounted as if spread evenly over the months.
    /// </summary>
    public static double[] Baseline(IReadOnlyList<CustomerFeatures> customers, double horizonUnits, int months, double monthlyDiscountRate)
    {
        ArgumentNullException.ThrowIfNull(customers);
        var factor = EvenSpreadDiscount(months, monthlyDiscountRate);
        return [.. customers.Select(c => Math.Max(c.TotalRevenue, 0) / Math.Max(c.T, 1) * horizonUnits * factor)];
    }

    /// <summary>
    /// XGBoost's backtest predictions: customers are dealt into folds (seeded, so reruns agree) and
    /// each fold is predicted by a model trained on the others. Null, with a note, when XGBoost cannot
    /// be trained here (native library missing, too few customers per fold, ...).
    /// </summary>
    private static double[]? XgboostOutOfFold(List<CustomerFeatures> calibration, ModelingOptions options, List<string> notes)
    {
        var trainingOptions = XgbOptions(options);
        var folds = Math.Max(2, options.CrossValidationFolds);
        var fold = new int[calibration.Count];
        var order = Enumerable.Range(0, calibration.Count).ToArray();
        new Random(trainingOptions.Seed).Shuffle(order);
        for (var k = 0; k < order.Length; k++)
        {
            fold[order[k]] = k % folds;
        }

        var predictions = new double[calibration.Count];
        try
        {
            for (var f = 0; f < folds; f++)
            {
                var train = calibration.Where((_, i) => fold[i] != f).ToList();
                var test = Enumerable.Range(0, calibration.Count).Where(i => fold[i] == f).ToList();
                using var trained = XgbClvTrainer.Train(train, trainingOptions);
                var scores = trained.Model.Predict([.. test.Select(i => calibration[i])], options.TimeUnit);
                for (var k = 0; k < test.Count; k++)
                {
                    predictions[test[k]] = scores[k];
                }
            }
        }
        catch (Exception e) when (e is InputProblemException or XgboostException)
        {
            notes.Add($"XGBoost was not trained on this data: {Message(e)}");
            return null;
        }

        return predictions;
    }

    /// <summary>
    /// XGBoost trained on every calibration customer (features → holdout revenue), applied to the
    /// features over all data. It predicts revenue over a holdout-length window; a different
    /// horizon is scaled in proportion, then discounted as if spread evenly over the months.
    /// </summary>
    private static double[]? XgboostFuture(List<CustomerFeatures> calibration, List<CustomerFeatures> full, ModelingOptions options, List<string> notes)
    {
        try
        {
            using var trained = XgbClvTrainer.Train(calibration, XgbOptions(options));
            var scale = options.HorizonUnits / options.HoldoutLength * EvenSpreadDiscount(options.HorizonMonths, options.MonthlyDiscountRate);
            return [.. trained.Model.Predict(full, options.TimeUnit).Select(p => p * scale)];
        }
        catch (Exception e) when (e is InputProblemException or XgboostException)
        {
            notes.Add($"XGBoost was not trained on all the data: {Message(e)}");
            return null;
        }
    }

    private static XgbTrainingOptions XgbOptions(ModelingOptions options) => options.Xgboost with
    {
        TimeUnit = options.TimeUnit,
        HorizonDays = options.HoldoutLength * options.DaysPerUnit,
    };

    /// <summary>
    /// The shipped model's predictions over the horizon (or over <paramref name="windowUnits"/> for
    /// a backtest), scaled from the window it was trained for. Null, with a note, when it cannot score these customers.
    /// </summary>
    private static double[]? ShippedPredictions(
        OnnxClvModel shipped, List<CustomerFeatures> customers, ModelingOptions options, List<string> notes, double? windowUnits = null)
    {
        var windowDays = windowUnits is { } units ? units * options.DaysPerUnit : options.HorizonMonths * ProbabilisticClv.DaysPerMonth;
        var scale = (double.IsFinite(shipped.HorizonDays) && shipped.HorizonDays > 0 ? windowDays / shipped.HorizonDays : 1)
            * (windowUnits is null ? EvenSpreadDiscount(options.HorizonMonths, options.MonthlyDiscountRate) : 1);
        try
        {
            return [.. shipped.Predict(customers, options.TimeUnit).Select(p => p * scale)];
        }
        catch (InputProblemException e)
        {
            notes.Add($"The shipped XGBoost model could not score these customers: {Message(e)}");
            return null;
        }
    }

    private static string Message(Exception e) => e is InputProblemException problem ? problem.Problem.ToString() : e.Message;

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

    private static (string Model, string Reason) ChooseHeadline(List<ModelBacktest> backtests, Dictionary<string, double[]> candidates)
    {
        var ranked = backtests
            .Where(b => candidates.ContainsKey(b.Model) && !double.IsNaN(b.NormalizedGini))
            .OrderByDescending(b => Math.Round(b.NormalizedGini, 3))
            .ThenBy(b => double.IsNaN(b.DecileMape) ? double.PositiveInfinity : b.DecileMape)
            .ToList();
        if (ranked.Count > 0)
        {
            var best = ranked[0];
            var reason = string.Create(
                CultureInfo.InvariantCulture,
                $"{Describe(best.Model)} ranked customers best on the holdout (normalized Gini {best.NormalizedGini:F3}, decile error {best.DecileMape:P0}).");
            return (best.Model, reason);
        }

        if (candidates.ContainsKey(ShippedModel))
        {
            return (ShippedModel, "No XGBoost model could be trained on this data, so the XGBoost model shipped with the app, trained on a reference data set, gives the headline.");
        }

        if (candidates.ContainsKey(ProbabilisticModel))
        {
            return (ProbabilisticModel, "No backtest was possible; BG/NBD + Gamma-Gamma, the field's standard model, gives the headline.");
        }

        return (BaselineModel, "No model could be fitted; the headline is each customer's past spending rate carried forward.");
    }

    private static string Describe(string model) => model switch
    {
        XgboostModel => "XGBoost",
        ProbabilisticModel => "BG/NBD + Gamma-Gamma",
        ShippedModel => "The shipped XGBoost model",
        _ => "The baseline (past spending rate)",
    };

    private static List<CustomerFeatures>? BacktestData(IReadOnlyList<CustomerFeatures>? calibration, ModelingOptions options, List<string> notes)
    {
        if (calibration is null)
        {
            notes.Add("The history is too short to hold part of it out, so the models could not be backtested.");
            return null;
        }

        var usable = Usable(calibration, "calibration customers", notes).Where(c => c.HoldoutRevenue is { } r && double.IsFinite(r)).ToList();
        var calibrationDays = usable.Count == 0 ? 0 : usable.Max(c => c.T) * options.DaysPerUnit;
        var holdoutDays = options.HoldoutLength * options.DaysPerUnit;
        string? problem = null;
        if (usable.Count < options.MinimumBacktestCustomers)
        {
            problem = $"Only {usable.Count} customers bought in the calibration window; a backtest needs at least {options.MinimumBacktestCustomers}.";
        }
        else if (calibrationDays < options.MinimumCalibrationDays)
        {
            problem = string.Create(CultureInfo.InvariantCulture, $"The calibration window covers {calibrationDays:F0} days; a backtest needs at least {options.MinimumCalibrationDays:F0}.");
        }
        else if (holdoutDays < options.MinimumHoldoutDays)
        {
            problem = string.Create(CultureInfo.InvariantCulture, $"The holdout window covers {holdoutDays:F0} days; a backtest needs at least {options.MinimumHoldoutDays:F0}.");
        }
        else if (usable.All(c => c.HoldoutRevenue == 0))
        {
            problem = "Nobody bought anything in the holdout window, so there is nothing to score the models against.";
        }

        if (problem is not null)
        {
            notes.Add(problem + " The models were not backtested; upload a longer history to compare them.");
            return null;
        }

        return usable;
    }

    private static List<CustomerFeatures> Usable(IReadOnlyList<CustomerFeatures> customers, string what, List<string> notes)
    {
        var usable = customers.Where(c =>
            c.Frequency >= 0 && double.IsFinite(c.Recency) && double.IsFinite(c.T) && double.IsFinite(c.MonetaryValue)
            && double.IsFinite(c.TotalRevenue) && c.Recency >= 0 && c.Recency <= c.T).ToList();
        if (usable.Count < customers.Count)
        {
            notes.Add($"{customers.Count - usable.Count} {what} had missing, infinite or inconsistent values (recency, age or revenue) and were left out of the models.");
        }

        return usable;
    }

    /// <summary>A fitted BG/NBD, the Gamma-Gamma spend model when it could be fitted, and the value used without it.</summary>
    private sealed record ProbabilisticFit(BgNbdParameters Purchases, GammaGammaParameters? Spend, double FallbackValue)
    {
        public static ProbabilisticFit? TryFit(IReadOnlyList<CustomerFeatures> customers, string window, int minimumSpendCustomers, List<string> notes)
        {
            if (customers.All(c => c.Frequency == 0))
            {
                notes.Add($"Nobody bought more than once in {window}, so BG/NBD cannot learn how often customers return; it was not used there.");
                return null;
            }

            BgNbdParameters purchases;
            try
            {
                purchases = BgNbdModel.Fit(customers).Parameters;
            }
            catch (ArgumentException e)
            {
                notes.Add($"BG/NBD could not be fitted on {window}: {e.Message}");
                return null;
            }

            if (!double.IsFinite(purchases.R + purchases.Alpha + purchases.A + purchases.B) || Math.Abs(purchases.A - 1) < 1e-9)
            {
                notes.Add($"BG/NBD did not reach a usable fit on {window}; it was not used there.");
                return null;
            }

            var orders = customers.Sum(c => (double)c.Orders);
            var fallback = orders > 0 ? Math.Max(customers.Sum(c => c.TotalRevenue) / orders, 0) : 0;
            var repeatBuyers = customers.Count(c => GammaGammaModel.IsUsable(c.Frequency, c.MonetaryValue));
            if (repeatBuyers is > 0 && repeatBuyers < minimumSpendCustomers)
            {
                notes.Add($"Only {repeatBuyers:N0} customers in {window} bought again with positive value, too few to fit Gamma-Gamma (it needs {minimumSpendCustomers:N0}); the expected order value is the average order value instead.");
                return new ProbabilisticFit(purchases, null, fallback);
            }

            var spendFit = GammaGammaModel.Fit([.. customers.Select(c => c.Frequency)], [.. customers.Select(c => c.MonetaryValue)]);
            GammaGammaParameters? spend = spendFit?.Parameters;
            if (spend is null)
            {
                notes.Add($"No customer in {window} has repeat purchases with positive value, so Gamma-Gamma could not be fitted; the expected order value is the average order value instead.");
            }
            else if (spend.Q <= 1)
            {
                notes.Add($"Gamma-Gamma on {window} found spend too uneven for a finite average (q ≤ 1); the expected order value is the average order value instead.");
                spend = null;
            }

            return new ProbabilisticFit(purchases, spend, fallback);
        }

        /// <summary>
        /// E[M | x, m] from Gamma-Gamma; a negative mean (repeat purchases netted out by returns)
        /// counts as 0 so returns lower the value without making it negative.
        /// </summary>
        public double ExpectedValue(CustomerFeatures c) =>
            Spend?.ConditionalExpectedAverageValue(c.Frequency, Math.Max(c.MonetaryValue, 0)) ?? FallbackValue;

        public double Clv(CustomerFeatures c, double horizonUnits, int months, double monthlyDiscountRate, double unitsPerMonth) =>
            monthlyDiscountRate == 0
                ? ExpectedValue(c) * Purchases.ConditionalExpectedPurchases(horizonUnits, c.Frequency, c.Recency, c.T)
                : ProbabilisticClv.CustomerLifetimeValue(Purchases, ExpectedValue(c), c.Frequency, c.Recency, c.T, months, unitsPerMonth, monthlyDiscountRate);
    }
}
