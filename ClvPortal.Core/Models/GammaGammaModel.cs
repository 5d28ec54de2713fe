namespace ClvPortal.Core.Models;

/// <summary>A Gamma-Gamma maximum-likelihood fit and what it was fitted on.</summary>
/// <param name="Customers">Repeat customers (frequency &gt; 0, monetary value &gt; 0) the fit used.</param>
public sealed record GammaGammaFit(GammaGammaParameters Parameters, double LogLikelihood, int Customers, int Groups, int Evaluations);

/// <summary>
/// The Gamma-Gamma model of monetary value (Fader &amp; Hardie 2013, "The Gamma-Gamma Model of
/// Monetary Value"; lifetimes' <c>GammaGammaFitter</c>): a customer's transaction values are
/// Gamma(p, ν) around their own mean, with ν ~ Gamma(q, γ) across customers (γ is called v here, as
/// in lifetimes). Fitted on repeat customers' mean repeat-transaction value, assuming spend is
/// independent of purchase frequency.
/// </summary>
public static class GammaGammaModel
{
    /// <summary>Whether a customer can inform the fit: at least one repeat purchase with a positive mean value.</summary>
    public static bool IsUsable(int frequency, double monetaryValue) =>
        frequency > 0 && monetaryValue > 0 && double.IsFinite(monetaryValue);

    /// <summary>
    /// Fits by maximum likelihood on the customers for which <see cref="IsUsable"/> holds (the
    /// others are skipped, as lifetimes asks its callers to do). Customers with identical
    /// (x, m) are grouped first. Returns null when no customer is usable.
    /// </summary>
    public static GammaGammaFit? Fit(IReadOnlyList<int> frequency, IReadOnlyList<double> monetaryValue)
    {
        ArgumentNullException.ThrowIfNull(frequency);
        ArgumentNullException.ThrowIfNull(monetaryValue);
        if (frequency.Count != monetaryValue.Count)
        {
            throw new ArgumentException("Frequency and monetary value must have one value per customer.");
        }

        var groups = new Dictionary<(int X, double M), int>();
        List<int> xs = [];
        List<double> ms = [], weights = [];
        var sumM = 0.0;
        for (var i = 0; i < frequency.Count; i++)
        {
            var (x, m) = (frequency[i], monetaryValue[i]);
            if (!IsUsable(x, m))
            {
                continue;
            }

            sumM += m;
            if (groups.TryGetValue((x, m), out var g))
            {
                weights[g]++;
                continue;
            }

            groups[(x, m)] = xs.Count;
            xs.Add(x);
            ms.Add(m);
            weights.Add(1);
        }

        if (xs.Count == 0)
        {
            return null;
        }

        var customers = (int)weights.Sum();
        var data = new Grouped([.. xs], [.. ms], [.. weights]);
        // v carries the currency scale: start it near the mean spend so the simplex starts in range.
        double[] start = [0, 0, Math.Log(Math.Max(sumM / customers, 1e-6))];
        var (point, value, evaluations) = Optimizer.MinimizeNegativeLogLikelihood(data.LogLikelihood, start);
        var parameters = new GammaGammaParameters(Math.Exp(point[0]), Math.Exp(point[1]), Math.Exp(point[2]));
        return new GammaGammaFit(parameters, -value, customers, xs.Count, evaluations);
    }

    /// <summary>
    /// E[M | x, m]: expected average transaction value, a weighted mean of the population mean
    /// p v / (q - 1) and the customer's own m with weight p x / (p x + q - 1) (Fader &amp; Hardie 2013,
    /// eq. 5). Customers without repeat purchases get the population mean. Needs q &gt; 1; otherwise
    /// the population mean is infinite and this returns NaN.
    /// </summary>
    public static double ConditionalExpectedAverageValue(this GammaGammaParameters p, int frequency, double monetaryValue)
    {
        ArgumentNullException.ThrowIfNull(p);
        if (p.Q <= 1)
        {
            return double.NaN;
        }

        var populationMean = p.P * p.V / (p.Q - 1);
        if (frequency <= 0)
        {
            return populationMean;
        }

        var weight = p.P * frequency / ((p.P * frequency) + p.Q - 1);
        return ((1 - weight) * populationMean) + (weight * monetaryValue);
    }

    /// <summary>One repeat customer's log-likelihood of mean value m over x transactions (lifetimes' form).</summary>
    public static double LogLikelihood(this GammaGammaParameters parameters, int frequency, double monetaryValue)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var (p, q, v, x, m) = (parameters.P, parameters.Q, parameters.V, (double)frequency, monetaryValue);
        return SpecialFunctions.LogGamma((p * x) + q) - SpecialFunctions.LogGamma(p * x) - SpecialFunctions.LogGamma(q)
            + (q * Math.Log(v)) + (((p * x) - 1) * Math.Log(m)) + (p * x * Math.Log(x)) - (((p * x) + q) * Math.Log((x * m) + v));
    }

    private sealed class Grouped(int[] x, double[] m, double[] weight)
    {
        private readonly double[] _logM = [.. m.Select(v => Math.Log(v))];
        private readonly double[] _logX = [.. x.Select(v => Math.Log(v))];
        private readonly int _maxX = x.Max();

        /// <summary>Total log-likelihood at (p, q, v); with a gradient array, also writes ∂LL/∂(p, q, v) into it.</summary>
        public double LogLikelihood(double[] theta, double[]? gradient)
        {
            var (p, q, v) = (theta[0], theta[1], theta[2]);
            if (!(p is > 1e-8 and < 1e8) || !(q is > 1e-8 and < 1e8) || !(v is > 1e-10 and < 1e12))
            {
                return double.NegativeInfinity;
            }

            // The ln Γ and ψ terms depend on x only: tabulate them once per evaluation.
            var constant = new double[_maxX + 1];
            var psiPxq = new double[_maxX + 1];
            var psiPx = new double[_maxX + 1];
            var seen = new bool[_maxX + 1];
            var baseTerm = -SpecialFunctions.LogGamma(q) + (q * Math.Log(v));
            foreach (var xi in x)
            {
                if (!seen[xi])
                {
                    seen[xi] = true;
                    constant[xi] = baseTerm + SpecialFunctions.LogGamma((p * xi) + q) - SpecialFunctions.LogGamma(p * xi);
                    if (gradient is not null)
                    {
                        psiPxq[xi] = SpecialFunctions.Digamma((p * xi) + q);
                        psiPx[xi] = SpecialFunctions.Digamma(p * xi);
                    }
                }
            }

            var (psiQ, logV) = (SpecialFunctions.Digamma(q), Math.Log(v));

            void Sum(int from, int to, double[] into)
            {
                double sum = 0, gp = 0, gq = 0, gv = 0;
                var withGradient = gradient is not null;
                for (var i = from; i < to; i++)
                {
                    var xi = x[i];
                    var px = p * xi;
                    var denominator = (xi * m[i]) + v;
                    var logDenominator = Math.Log(denominator);
                    var w = weight[i];
                    sum += w * (constant[xi] + ((px - 1) * _logM[i]) + (px * _logX[i]) - ((px + q) * logDenominator));
                    if (withGradient)
                    {
                        gp += w * xi * (psiPxq[xi] - psiPx[xi] + _logM[i] + _logX[i] - logDenominator);
                        gq += w * (psiPxq[xi] - psiQ + logV - logDenominator);
                        gv += w * ((q / v) - ((px + q) / denominator));
                    }
                }

                (into[0], into[1], into[2], into[3]) = (sum, gp, gq, gv);
            }

            const int chunk = 32_768;
            var chunks = (x.Length + chunk - 1) / chunk;
            var partial = new double[chunks][];
            if (chunks == 1)
            {
                partial[0] = new double[4];
                Sum(0, x.Length, partial[0]);
            }
            else
            {
                Parallel.For(0, chunks, c =>
                {
                    partial[c] = new double[4];
                    Sum(c * chunk, Math.Min((c + 1) * chunk, x.Length), partial[c]);
                });
            }

            // Summed in chunk order so the result does not depend on thread timing.
            var total = new double[4];
            foreach (var part in partial)
            {
                for (var k = 0; k < 4; k++)
                {
                    total[k] += part[k];
                }
            }

            if (gradient is not null)
            {
                Array.Copy(total, 1, gradient, 0, 3);
            }

            return total[0];
        }
    }
}
