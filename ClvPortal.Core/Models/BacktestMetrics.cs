namespace ClvPortal.Core.Models;

/// <summary>
/// How well predicted holdout values match actual ones, as in Google's ZILN lifetime-value work
/// (Wang, Liu &amp; Miao 2019): a ranking metric (normalized Gini), a rank correlation (Spearman), a
/// calibration metric (decile MAPE) and two error metrics (MAE, total revenue error).
/// </summary>
public static class BacktestMetrics
{
    /// <summary>Computes every metric for one model's predictions against the actual holdout values.</summary>
    public static ModelBacktest Evaluate(string model, IReadOnlyList<double> predicted, IReadOnlyList<double> actual)
    {
        CheckLengths(predicted, actual);
        var deciles = Deciles(predicted, actual);
        var n = predicted.Count;
        var totalActual = 0.0;
        var totalPredicted = 0.0;
        var absoluteError = 0.0;
        for (var i = 0; i < n; i++)
        {
            totalActual += actual[i];
            totalPredicted += predicted[i];
            absoluteError += Math.Abs(predicted[i] - actual[i]);
        }

        return new ModelBacktest(
            model,
            NormalizedGini(predicted, actual),
            Spearman(predicted, actual),
            DecileMape(deciles),
            n == 0 ? double.NaN : absoluteError / n,
            totalActual == 0 ? double.NaN : (totalPredicted - totalActual) / totalActual,
            deciles);
    }

    /// <summary>
    /// Gini of the model's Lorenz (gain) curve divided by the perfect model's: customers sorted by
    /// prediction, descending, and the cumulative share of actual value summed; 1 is a perfect
    /// ranking, 0 is random. Tied predictions share their group's value evenly (the expected curve
    /// over every order of the tie), so a constant prediction scores like a random order (≈ 0)
    /// whatever order the customers came in.
    /// NaN when the actual values sum to zero.
    /// </summary>
    public static double NormalizedGini(IReadOnlyList<double> predicted, IReadOnlyList<double> actual)
    {
        CheckLengths(predicted, actual);
        var total = actual.Sum();
        if (predicted.Count == 0 || total == 0 || !double.IsFinite(total))
        {
            return double.NaN;
        }

        var model = Gini(predicted, actual, total);
        var perfect = Gini(actual, actual, total);
        return perfect == 0 ? double.NaN : model / perfect;
    }

    // Raw Gini as in the ZILN code: 2 · mean(cumulative share) - 1.
    private static double Gini(IReadOnlyList<double> sortKey, IReadOnlyList<double> actual, double total)
    {
        var n = sortKey.Count;
        var order = Enumerable.Range(0, n).OrderByDescending(i => sortKey[i]).ToArray();
        double cumulative = 0, area = 0;
        for (var start = 0; start < n;)
        {
            var end = start;
            var groupSum = 0.0;
            while (end < n && sortKey[order[end]] == sortKey[order[start]])
            {
                groupSum += actual[order[end]];
                end++;
            }

            var size = end - start;
            for (var k = 1; k <= size; k++)
            {
                area += (cumulative + (groupSum * k / size)) / total;
            }

            cumulative += groupSum;
            start = end;
        }

        return (2 * area / n) - 1;
    }

    /// <summary>Spearman's rank correlation: Pearson's correlation of the ranks, ties given their average rank. NaN when either side is constant.</summary>
    public static double Spearman(IReadOnlyList<double> predicted, IReadOnlyList<double> actual)
    {
        CheckLengths(predicted, actual);
        var x = Ranks(predicted);
        var y = Ranks(actual);
        var n = x.Length;
        if (n < 2)
        {
            return double.NaN;
        }

        double meanX = x.Average(), meanY = y.Average(), sxy = 0, sxx = 0, syy = 0;
        for (var i = 0; i < n; i++)
        {
            sxy += (x[i] - meanX) * (y[i] - meanY);
            sxx += (x[i] - meanX) * (x[i] - meanX);
            syy += (y[i] - meanY) * (y[i] - meanY);
        }

        return sxx == 0 || syy == 0 ? double.NaN : sxy / Math.Sqrt(sxx * syy);
    }

    /// <summary>
    /// Area under the ROC curve of <paramref name="score"/> for telling <paramref name="positive"/> cases
    /// from the rest (Mann-Whitney: the chance that a random positive scores above a random negative, ties
    /// counting half). 0.5 is a coin; NaN when either class is empty or a score is NaN.
    /// </summary>
    public static double Auc(IReadOnlyList<double> score, IReadOnlyList<bool> positive)
    {
        ArgumentNullException.ThrowIfNull(score);
        ArgumentNullException.ThrowIfNull(positive);
        if (score.Count != positive.Count)
        {
            throw new ArgumentException("Scores and outcomes must have one value per customer.");
        }

        if (score.Any(double.IsNaN))
        {
            return double.NaN;
        }

        var ranks = Ranks(score);
        double positives = 0, rankSum = 0;
        for (var i = 0; i < ranks.Length; i++)
        {
            if (positive[i])
            {
                positives++;
                rankSum += ranks[i];
            }
        }

        var negatives = ranks.Length - positives;
        return positives == 0 || negatives == 0 ? double.NaN : (rankSum - (positives * (positives + 1) / 2)) / (positives * negatives);
    }

    private static double[] Ranks(IReadOnlyList<double> values)
    {
        var order = Enumerable.Range(0, values.Count).OrderBy(i => values[i]).ToArray();
        var ranks = new double[values.Count];
        for (var start = 0; start < order.Length;)
        {
            var end = start;
            while (end < order.Length && values[order[end]] == values[order[start]])
            {
                end++;
            }

            // Ranks start..end-1 (0-based) share their average, 1-based.
            var average = ((start + end - 1) / 2.0) + 1;
            for (var k = start; k < end; k++)
            {
                ranks[order[k]] = average;
            }

            start = end;
        }

        return ranks;
    }

    /// <summary>
    /// Customers sorted by prediction, highest first, cut into 10 bins of (nearly) equal size:
    /// decile 1 holds the customers the model values most. Fewer bins when there are fewer than 10 customers.
    /// </summary>
    public static IReadOnlyList<DecilePoint> Deciles(IReadOnlyList<double> predicted, IReadOnlyList<double> actual)
    {
        CheckLengths(predicted, actual);
        var n = predicted.Count;
        var order = Enumerable.Range(0, n).OrderByDescending(i => predicted[i]).ToArray();
        var points = new List<DecilePoint>(10);
        for (var d = 0; d < 10; d++)
        {
            int from = d * n / 10, to = (d + 1) * n / 10;
            if (to == from)
            {
                continue;
            }

            double sumPredicted = 0, sumActual = 0;
            for (var k = from; k < to; k++)
            {
                sumPredicted += predicted[order[k]];
                sumActual += actual[order[k]];
            }

            points.Add(new DecilePoint(d + 1, sumPredicted / (to - from), sumActual / (to - from)));
        }

        return points;
    }

    /// <summary>
    /// Mean absolute percentage error between mean predicted and mean actual value per decile, as a
    /// fraction (0.25 = 25%). Deciles whose actual mean is 0 have no percentage error and are left
    /// out; NaN when every decile is.
    /// </summary>
    public static double DecileMape(IReadOnlyList<DecilePoint> deciles)
    {
        ArgumentNullException.ThrowIfNull(deciles);
        var errors = deciles.Where(d => d.MeanActual != 0)
            .Select(d => Math.Abs(d.MeanPredicted - d.MeanActual) / Math.Abs(d.MeanActual))
            .ToList();
        return errors.Count == 0 ? double.NaN : errors.Average();
    }

    private static void CheckLengths(IReadOnlyList<double> predicted, IReadOnlyList<double> actual)
    {
        ArgumentNullException.ThrowIfNull(predicted);
        ArgumentNullException.ThrowIfNull(actual);
        if (predicted.Count != actual.Count)
        {
            throw new ArgumentException("Predicted and actual values must have one value per customer.");
        }
    }
}
