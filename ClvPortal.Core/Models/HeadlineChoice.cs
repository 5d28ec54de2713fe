using System.Globalization;

namespace ClvPortal.Core.Models;

/// <summary>The headline model, why, how far to trust it, and the ranges of actual ÷ predicted its backtest supports.</summary>
internal sealed record Choice(
    string Model,
    string Reason,
    ForecastReliability Reliability,
    string Message,
    bool TiersReliable,
    ValueRange? TotalRatio,
    IReadOnlyDictionary<ValueTier, ValueRange> TierRatios,
    IReadOnlyList<string> Notes);

/// <summary>
/// Chooses the headline from the out-of-time backtest, as the ZILN paper reads it (Wang, Liu &amp; Miao
/// 2019): ranking (normalized Gini) and calibration (total error, decile MAPE) are different questions.
/// <list type="number">
/// <item>Chance first: a permutation null gives the Gini random ranking reaches 95% of the time on these
/// customers (±0.08 at 3,000 customers, ±0.55 at 150). When no model beats it, the page says so, the total
/// comes from the model whose total was closest, and tiers are marked unreliable.</item>
/// <item>A calibration gate: total error within <see cref="ModelingOptions.MaximumTotalError"/> and decile
/// MAPE under <see cref="ModelingOptions.MaximumDecileMape"/>.</item>
/// <item>Among the models that pass, the best calibrated, unless another ranks better by a margin a paired
/// bootstrap over customers says is not luck.</item>
/// </list>
/// The baseline is a yardstick in the table, never the headline; the shipped model only when nothing of
/// the shop's own could be fitted.
/// </summary>
internal static class HeadlineChoice
{
    public static Choice Choose(BacktestRun? backtest, Forecast forward, ModelingOptions options)
    {
        var notes = new List<string>();
        if (forward.Candidates.Count == 0)
        {
            return new Choice(
                ClvModeling.BaselineModel,
                "No model could be fitted; the figures are each customer's past repeat spending carried forward, a yardstick rather than a prediction.",
                ForecastReliability.Untested,
                "No model could be fitted to this data (see the notes), so there is no real prediction: the figures only carry each customer's past repeat spending forward.",
                false, null, new Dictionary<ValueTier, ValueRange>(), notes);
        }

        var tested = backtest?.Table.Where(b => forward.Candidates.ContainsKey(b.Model) && backtest.Forecast.Candidates.ContainsKey(b.Model)).ToList() ?? [];
        if (backtest is null || tested.Count == 0)
        {
            return Untested(forward, backtest is null ? null : "no model could be fitted on the calibration window", notes);
        }

        var random = new Random(options.Seed);
        var actual = backtest.Actual;
        var perfect = new RankedOrder(actual);
        var orders = backtest.Forecast.Candidates.ToDictionary(m => m.Key, m => new RankedOrder(m.Value));
        orders[ClvModeling.BaselineModel] = new RankedOrder(backtest.Forecast.Baseline);
        var chance = ChanceGini(orders, perfect, actual, options.Resamples, random);
        for (var i = 0; i < backtest.Table.Count; i++)
        {
            backtest.Table[i] = backtest.Table[i] with { ChanceGini = chance[backtest.Table[i].Model] };
        }

        tested = [.. backtest.Table.Where(b => tested.Any(t => t.Model == b.Model))];
        var period = Period(backtest.Calibration.HoldoutEnd.DayNumber - backtest.Calibration.CalibrationEnd.DayNumber);
        var ranking = tested.Where(b => b.NormalizedGini > b.ChanceGini).ToList();
        if (ranking.Count == 0)
        {
            var closest = tested.OrderBy(b => AbsoluteError(b)).First();
            var chanceLevel = tested.Max(b => b.ChanceGini);
            var (low, high) = RatioRange(backtest.Forecast.Candidates[closest.Model], actual, null, options.Resamples, random);
            return new Choice(
                closest.Model,
                Invariant($"No model ranked customers better than chance on the test (normalized Gini at most {tested.Max(b => b.NormalizedGini):F3}, while random ranking reaches {chanceLevel:F3}); the total comes from {Lower(ClvModeling.Describe(closest.Model))}, whose total was closest ({closest.TotalRevenueError:+0%;-0%}).")
,
                ForecastReliability.NoSignal,
                Invariant($"No model could tell your future big spenders from the rest: when we hid your last {period} and predicted it, every model ranked customers no better than chance. The total below comes from the model whose total was closest then ({closest.TotalRevenueError:+0%;-0%}); the values per customer and the tiers are not reliable, so don't target customers by them."),
                false, new ValueRange(low, high), new Dictionary<ValueTier, ValueRange>(), notes);
        }

        var calibrated = ranking.Where(b => AbsoluteError(b) <= options.MaximumTotalError && b.DecileMape <= options.MaximumDecileMape).ToList();
        var pool = calibrated.Count > 0 ? calibrated : ranking;
        // Within the pool, the combination first: two models with different biases averaged cancel part of
        // each one's error (Bates & Granger 1969; on CDNOW 9 months ahead XGBoost was +10%, BG/NBD -17%, their
        // mean -4%). Then the better calibrated.
        var bestCalibrated = pool
            .OrderBy(b => b.Model == ClvModeling.EnsembleModel ? 0 : 1)
            .ThenBy(b => double.IsNaN(b.DecileMape) ? double.PositiveInfinity : b.DecileMape)
            .ThenBy(AbsoluteError).First();
        var bestRanking = pool.OrderByDescending(b => b.NormalizedGini).First();
        var headline = bestCalibrated;
        string reason;
        if (bestRanking.Model != bestCalibrated.Model
            && LeadIsReal(orders[bestRanking.Model], orders[bestCalibrated.Model], perfect, actual, options.Resamples, random))
        {
            headline = bestRanking;
            reason = Invariant($"{ClvModeling.Describe(headline.Model)} ranked customers clearly best on the test (normalized Gini {headline.NormalizedGini:F3} against {bestCalibrated.NormalizedGini:F3}, a lead a bootstrap over customers says is not luck), with its total {headline.TotalRevenueError:+0%;-0%} off what customers really spent.");
        }
        else
        {
            reason = Invariant($"{ClvModeling.Describe(headline.Model)} passed the test on your own data (total {headline.TotalRevenueError:+0%;-0%} off what customers really spent, {headline.DecileMape:0%} average error per tenth of customers) and ranked customers well (normalized Gini {headline.NormalizedGini:F3}; chance reaches {headline.ChanceGini:F3}).");
            if (bestRanking.Model != headline.Model)
            {
                reason += Invariant($" {ClvModeling.Describe(bestRanking.Model)} ranked slightly higher ({bestRanking.NormalizedGini:F3}), within what luck explains.");
            }
        }

        var predicted = backtest.Forecast.Candidates[headline.Model];
        var (lowTotal, highTotal) = RatioRange(predicted, actual, null, options.Resamples, random);
        var tiers = CustomerSegments.Tiers(predicted);
        var tierRatios = new Dictionary<ValueTier, ValueRange>();
        foreach (var tier in Enum.GetValues<ValueTier>())
        {
            var members = tiers.Select((t, i) => (t, i)).Where(x => x.t == tier).Select(x => x.i).ToArray();
            if (members.Length > 0 && RatioRange(predicted, actual, members, options.Resamples, random) is var (lowTier, highTier) && double.IsFinite(lowTier) && double.IsFinite(highTier))
            {
                tierRatios[tier] = new ValueRange(lowTier, highTier);
            }
        }

        var reliability = calibrated.Count > 0 ? ForecastReliability.Tested : ForecastReliability.PoorlyCalibrated;
        var message = reliability == ForecastReliability.Tested
            ? Invariant($"Tested on your own data: we hid your last {period}, predicted it from the history before, and compared with what customers really spent. The model used here was {Math.Abs(headline.TotalRevenueError):0%} {(headline.TotalRevenueError >= 0 ? "over" : "under")} the real total.")
            : Invariant($"Use with care: when we hid your last {period} and predicted it, even the closest model was {headline.TotalRevenueError:+0%;-0%} off the real total (or over {options.MaximumDecileMape:0%} off for groups of customers). Treat the figures as a rough guide, and the order of customers as more reliable than the amounts.");
        return new Choice(headline.Model, reason, reliability, message, true, new ValueRange(lowTotal, highTotal), tierRatios, notes);
    }

    private static Choice Untested(Forecast forward, string? why, List<string> notes)
    {
        string model;
        string reason;
        string message;
        if (forward.Candidates.ContainsKey(ClvModeling.ProbabilisticModel))
        {
            model = ClvModeling.ProbabilisticModel;
            reason = "No backtest was possible; BG/NBD + Gamma-Gamma, the field's standard model, gives the figures.";
            message = "Not tested: there is not enough history to hide part of it and check the predictions against what customers really spent (see what is missing below). The figures are the standard estimate for shops whose customers buy again at will, and may be far off.";
        }
        else if (forward.Candidates.ContainsKey(ClvModeling.ShippedModel))
        {
            model = ClvModeling.ShippedModel;
            reason = "Nothing could be fitted on this shop's own data, so the XGBoost model shipped with the app gives the figures: it learned from another shop (CDNOW, a 1997–98 online CD shop) and its values are rescaled to this shop's average order value.";
            message = "Rough estimate from another shop's model: your file is too short or has too few returning customers to learn from, so the figures come from a model trained on a 1990s CD shop, rescaled to your average order value. Upload a longer history for predictions from your own customers.";
        }
        else
        {
            model = forward.Candidates.Keys.First();
            reason = $"No backtest was possible; {ClvModeling.Describe(model)} gives the figures.";
            message = "Not tested: there is not enough history to check the predictions against what customers really spent (see what is missing below).";
        }

        if (why is not null)
        {
            notes.Add($"The backtest could not score the models: {why}.");
        }

        return new Choice(model, reason, ForecastReliability.Untested, message, true, null, new Dictionary<ValueTier, ValueRange>(), notes);
    }

    private static double AbsoluteError(ModelBacktest b) => double.IsNaN(b.TotalRevenueError) ? double.PositiveInfinity : Math.Abs(b.TotalRevenueError);

    /// <summary>The 95th percentile of each model's normalized Gini against randomly permuted actual values.</summary>
    private static Dictionary<string, double> ChanceGini(Dictionary<string, RankedOrder> orders, RankedOrder perfect, double[] actual, int permutations, Random random)
    {
        var best = perfect.Gini(actual);
        var ginis = orders.ToDictionary(o => o.Key, _ => new double[permutations]);
        var shuffled = (double[])actual.Clone();
        for (var k = 0; k < permutations; k++)
        {
            random.Shuffle(shuffled);
            foreach (var (model, order) in orders)
            {
                ginis[model][k] = order.Gini(shuffled) / best;
            }
        }

        return ginis.ToDictionary(g => g.Key, g => Quantile(g.Value, 0.95));
    }

    /// <summary>Whether <paramref name="leader"/>'s Gini beats <paramref name="other"/>'s in at least 97.5% of bootstrap resamples of the customers.</summary>
    private static bool LeadIsReal(RankedOrder leader, RankedOrder other, RankedOrder perfect, double[] actual, int resamples, Random random)
    {
        var differences = new double[resamples];
        var weights = new int[actual.Length];
        for (var k = 0; k < resamples; k++)
        {
            Resample(weights, random);
            differences[k] = leader.NormalizedGini(perfect, actual, weights) - other.NormalizedGini(perfect, actual, weights);
        }

        return Quantile(differences, 0.025) > 0;
    }

    /// <summary>The 2.5% and 97.5% points of actual ÷ predicted totals over bootstrap resamples of the customers (or of <paramref name="members"/>).</summary>
    private static (double Low, double High) RatioRange(double[] predicted, double[] actual, int[]? members, int resamples, Random random)
    {
        var index = members ?? Enumerable.Range(0, actual.Length).ToArray();
        var ratios = new double[resamples];
        for (var k = 0; k < resamples; k++)
        {
            double sumActual = 0, sumPredicted = 0;
            for (var j = 0; j < index.Length; j++)
            {
                var i = index[random.Next(index.Length)];
                sumActual += actual[i];
                sumPredicted += predicted[i];
            }

            ratios[k] = sumPredicted > 0 ? sumActual / sumPredicted : double.NaN;
        }

        return ratios.Any(double.IsNaN) ? (double.NaN, double.NaN) : (Quantile(ratios, 0.025), Quantile(ratios, 0.975));
    }

    private static void Resample(int[] weights, Random random)
    {
        Array.Clear(weights);
        for (var j = 0; j < weights.Length; j++)
        {
            weights[random.Next(weights.Length)]++;
        }
    }

    private static double Quantile(double[] values, double q)
    {
        var sorted = values.Where(v => !double.IsNaN(v)).Order().ToArray();
        if (sorted.Length == 0)
        {
            return double.NaN;
        }

        var position = q * (sorted.Length - 1);
        var lower = (int)Math.Floor(position);
        var upper = Math.Min(lower + 1, sorted.Length - 1);
        return sorted[lower] + ((position - lower) * (sorted[upper] - sorted[lower]));
    }

    /// <summary>A holdout length in words: "9 months", "6 weeks".</summary>
    internal static string Period(int days) => days >= 56
        ? Invariant($"{Math.Round(days / ProbabilisticClv.DaysPerMonth):F0} months")
        : Invariant($"{Math.Round(days / 7.0):F0} weeks");

    private static string Lower(string text) => text.StartsWith("The ", StringComparison.Ordinal) ? "the " + text[4..] : text;

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
