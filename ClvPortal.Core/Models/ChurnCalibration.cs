namespace ClvPortal.Core.Models;

/// <summary>
/// Turns BG/NBD's expected purchases into the probability of buying nothing, calibrated on what really
/// happened in the backtest's holdout: a logistic regression of "bought nothing" on log expected purchases.
/// Ranking by expected purchases told CDNOW's silent customers from the buyers better than the model's own
/// P(no purchase) (AUC 0.763 against 0.747 nine months ahead), and the fit makes the probability match
/// the share that really bought nothing.
/// </summary>
internal sealed record ChurnCalibration(double Intercept, double Slope)
{
    private const double Floor = 1e-4;

    public double Probability(double expectedPurchases) =>
        1 / (1 + Math.Exp(-(Intercept + (Slope * Math.Log(Math.Max(expectedPurchases, 0) + Floor)))));

    /// <summary>Maximum likelihood by Newton's method; null when the outcomes are all one kind or the fit does not settle.</summary>
    public static ChurnCalibration? Fit(IReadOnlyList<double> expectedPurchases, IReadOnlyList<bool> boughtNothing)
    {
        var n = expectedPurchases.Count;
        var positives = boughtNothing.Count(b => b);
        if (n < 20 || positives == 0 || positives == n)
        {
            return null;
        }

        var x = expectedPurchases.Select(e => Math.Log(Math.Max(e, 0) + Floor)).ToArray();
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

        return double.IsFinite(a) && double.IsFinite(b) ? new ChurnCalibration(a, b) : null;
    }
}
