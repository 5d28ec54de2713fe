namespace ClvPortal.Core.Models;

/// <summary>
/// Turns BG/NBD's expected purchases into the probability of buying nothing, calibrated on what really
/// happened in the backtest's holdout: a logistic regression of "bought nothing" on log expected purchases.
/// Ranking by expected purchases told CDNOW's silent customers from the buyers better than the model's own
/// P(no purchase) (AUC 0.763 against 0.747 nine months ahead), and the fit makes the probability match
/// the share that really bought nothing. The curve is used only over the expected purchases it was fitted
/// on (beyond them it stays at its end), and only when it falls as expected purchases rise.
/// </summary>
internal sealed record ChurnCalibration(double Intercept, double Slope, double LowestLog, double HighestLog)
{
    private const double Floor = 1e-4;

    /// <summary>
    /// Expected purchases must spread over at least this much on the log scale (a factor of 1.5 between the
    /// 5th and 95th percentile) for a slope to mean anything: where BG/NBD expects the same for everyone,
    /// as when purchases are dealt to customers at random, the slope is noise and can reach any size.
    /// </summary>
    private const double MinimumLogSpread = 0.405;

    public double Probability(double expectedPurchases)
    {
        var x = Math.Clamp(Math.Log(Math.Max(expectedPurchases, 0) + Floor), LowestLog, HighestLog);
        return 1 / (1 + Math.Exp(-(Intercept + (Slope * x))));
    }

    /// <summary>
    /// Maximum likelihood by Newton's method; null (use BG/NBD's own probability) when the outcomes are all one
    /// kind, expected purchases hardly differ, the fit does not settle, or more expected purchases would mean
    /// more chance of buying nothing.
    /// </summary>
    public static ChurnCalibration? Fit(IReadOnlyList<double> expectedPurchases, IReadOnlyList<bool> boughtNothing)
    {
        var n = expectedPurchases.Count;
        var positives = boughtNothing.Count(b => b);
        if (n < 20 || positives == 0 || positives == n)
        {
            return null;
        }

        var x = expectedPurchases.Select(e => Math.Log(Math.Max(e, 0) + Floor)).ToArray();
        var sorted = x.Order().ToArray();
        if (sorted[(int)(0.95 * (n - 1))] - sorted[(int)(0.05 * (n - 1))] < MinimumLogSpread)
        {
            return null;
        }
        double a = Math.Log(positives / (double)(n - positives)), b = 0;
        for (var iteration = 0; iteration < 50; iteration++)
        {
            double ga = 0, gb = 0, haa = 0, hab = 0, hbb = 0;
            for (var i = 0; i < n; i++)
            {
                var p = 1 / (1 + Math.Exp(-(a + (b * x[i]))));
                var residual = (boughtNothing[i] ? 1 : 0) - p;
                var w = p * (1 - p);
                ga += residual;
                gb += residual * x[i];
                haa += w;
                hab += w * x[i];
                hbb += w * x[i] * x[i];
            }

            var determinant = (haa * hbb) - (hab * hab);
            if (determinant <= 0)
            {
                return null;
            }

            var da = ((hbb * ga) - (hab * gb)) / determinant;
            var db = ((haa * gb) - (hab * ga)) / determinant;
            a += da;
            b += db;
            if (Math.Abs(da) + Math.Abs(db) < 1e-10)
            {
                break;
            }
        }

        return double.IsFinite(a) && double.IsFinite(b) && b < 0 ? new ChurnCalibration(a, b, sorted[0], sorted[^1]) : null;
    }
}
