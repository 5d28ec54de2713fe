using ClvPortal.Core.Features;

namespace ClvPortal.Core.Models;

/// <summary>A BG/NBD maximum-likelihood fit and what it was fitted on.</summary>
/// <param name="LogLikelihood">Total log-likelihood at the fitted parameters (the paper reports -9582.4 on the CDNOW 1/10 sample).</param>
/// <param name="Groups">Distinct (frequency, recency, T) triples the likelihood was summed over.</param>
/// <param name="Evaluations">Likelihood evaluations the optimiser spent.</param>
public sealed record BgNbdFit(BgNbdParameters Parameters, double LogLikelihood, int Customers, int Groups, int Evaluations);

/// <summary>
/// The BG/NBD model of Fader, Hardie &amp; Lee (2005), "Counting your customers the easy way": while
/// alive a customer buys as a Poisson process with rate λ ~ Gamma(r, α); after each purchase they
/// drop out with probability p ~ Beta(a, b). Formulas and conventions follow the paper and the
/// <c>lifetimes</c> library's <c>BetaGeoFitter</c>, so fitted parameters can be compared with both.
/// Frequency x counts repeat purchases, recency t_x and age T are in one time unit (days or weeks).
/// </summary>
public static class BgNbdModel
{
    /// <summary>Fits by maximum likelihood on each customer's (frequency, recency, T).</summary>
    public static BgNbdFit Fit(IReadOnlyList<CustomerFeatures> customers)
    {
        ArgumentNullException.ThrowIfNull(customers);
        var x = new int[customers.Count];
        var tx = new double[customers.Count];
        var t = new double[customers.Count];
        for (var i = 0; i < customers.Count; i++)
        {
            (x[i], tx[i], t[i]) = (customers[i].Frequency, customers[i].Recency, customers[i].T);
        }

        return Fit(x, tx, t);
    }

    /// <summary>
    /// Fits by maximum likelihood. Customers with identical (x, t_x, T) are grouped first and the
    /// likelihood is a count-weighted sum over groups; the ln Γ terms depend on x alone and the
    /// logarithms on T or t_x alone, so each evaluation costs a table look-up and one log-sum-exp per
    /// group. That is what makes a million customers a matter of seconds.
    /// </summary>
    /// <exception cref="ArgumentException">No customers, mismatched lengths, or a value outside 0 ≤ t_x ≤ T.</exception>
    public static BgNbdFit Fit(IReadOnlyList<int> frequency, IReadOnlyList<double> recency, IReadOnlyList<double> age)
    {
        var data = GroupedData.Build(frequency, recency, age);
        // Start where the rate roughly matches the data (r/α ≈ purchases per unit of age): α carries
        // the time unit, so a start of 1 would be ~100x off on daily data.
        var meanX = data.Customers == 0 ? 0 : data.TotalFrequency / data.Customers;
        var meanT = data.TotalAge / data.Customers;
        var alpha0 = Math.Max(meanT / Math.Max(meanX, 0.1), 1e-3);
        double[] start = [0, Math.Log(alpha0), 0, 0];
        var (point, value, evaluations) = Optimizer.MinimizeNegativeLogLikelihood(data.LogLikelihood4, start);
        var parameters = new BgNbdParameters(Math.Exp(point[0]), Math.Exp(point[1]), Math.Exp(point[2]), Math.Exp(point[3]));
        return new BgNbdFit(parameters, -value, data.Customers, data.Groups, evaluations);
    }

    /// <summary>One customer's log-likelihood, FHL (2005) eq. 6 written as lifetimes does: ln(A1 A2 (A3 + δ(x&gt;0) A4)).</summary>
    public static double LogLikelihood(this BgNbdParameters p, int x, double recency, double age)
    {
        ArgumentNullException.ThrowIfNull(p);
        var (r, alpha, a, b) = (p.R, p.Alpha, p.A, p.B);
        var a1 = SpecialFunctions.LogGamma(r + x) - SpecialFunctions.LogGamma(r) + (r * Math.Log(alpha));
        var a2 = SpecialFunctions.LogGamma(a + b) + SpecialFunctions.LogGamma(b + x)
            - SpecialFunctions.LogGamma(b) - SpecialFunctions.LogGamma(a + b + x);
        var a3 = -(r + x) * Math.Log(alpha + age);
        if (x == 0)
        {
            return a1 + a2 + a3;
        }

        var a4 = Math.Log(a) - Math.Log(b + x - 1) - ((r + x) * Math.Log(alpha + recency));
        return a1 + a2 + LogAddExp(a3, a4);
    }

    /// <summary>P(alive | x, t_x, T), FHL (2005) eq. 12; 1 for customers with no repeat purchase (the model lets them drop out only after a purchase).</summary>
    public static double ProbabilityAlive(this BgNbdParameters p, int x, double recency, double age)
    {
        ArgumentNullException.ThrowIfNull(p);
        if (x == 0)
        {
            return 1;
        }

        var logRatio = ((p.R + x) * Math.Log((p.Alpha + age) / (p.Alpha + recency))) + Math.Log(p.A / (p.B + x - 1));
        return 1 / (1 + Math.Exp(logRatio));
    }

    /// <summary>
    /// P(no purchase in the next <paramref name="t"/> units | x, t_x, T): the churn probability for a
    /// horizon. A customer still alive buys nothing with probability E[e^(-λt)] over the posterior
    /// λ ~ Gamma(r + x, α + T), i.e. ((α + T) / (α + T + t))^(r + x); a customer who dropped out never buys:
    /// P = (1 - P(alive)) + P(alive) ((α + T) / (α + T + t))^(r + x). Unlike 1 - P(alive), it is below 1
    /// for one-time buyers too, since they may simply not come back in time.
    /// </summary>
    public static double ProbabilityNoPurchase(this BgNbdParameters p, double t, int x, double recency, double age)
    {
        ArgumentNullException.ThrowIfNull(p);
        if (t <= 0)
        {
            return 0;
        }

        var alive = p.ProbabilityAlive(x, recency, age);
        var silentWhileAlive = Math.Exp((p.R + x) * Math.Log((p.Alpha + age) / (p.Alpha + age + t)));
        return (1 - alive) + (alive * silentWhileAlive);
    }

    /// <summary>
    /// E[Y(t) | x, t_x, T]: expected purchases in the next <paramref name="t"/> units for a customer
    /// with this history, FHL (2005) eq. 10. The paper's customer (x = 2, t_x = 30.43, T = 38.86)
    /// expects 1.226 purchases in the next 39 weeks at the CDNOW parameters.
    /// </summary>
    public static double ConditionalExpectedPurchases(this BgNbdParameters p, double t, int x, double recency, double age)
    {
        ArgumentNullException.ThrowIfNull(p);
        if (t <= 0)
        {
            return 0;
        }

        var (r, alpha, a, b) = (p.R, p.Alpha, p.A, p.B);
        var z = t / (alpha + age + t);
        // ₂F₁ times ((α+T)/(α+T+t))^(r+x) = (1-z)^(r+x), combined in logs: both factors overflow
        // on their own for heavy buyers.
        var logHyp = SpecialFunctions.LogHypergeometric2F1(r + x, b + x, a + b + x - 1, z);
        var first = (a + b + x - 1) / (a - 1);
        var second = 1 - Math.Exp(logHyp + ((r + x) * Math.Log(1 - z)));
        var numerator = first * second;
        var denominator = x == 0 ? 1 : 1 + (a / (b + x - 1) * Math.Exp((r + x) * Math.Log((alpha + age) / (alpha + recency))));
        return numerator / denominator;
    }

    /// <summary>E[X(t)]: expected purchases of a new customer in their first <paramref name="t"/> units, FHL (2005) eq. 9.</summary>
    public static double ExpectedPurchases(this BgNbdParameters p, double t)
    {
        ArgumentNullException.ThrowIfNull(p);
        if (t <= 0)
        {
            return 0;
        }

        var (r, alpha, a, b) = (p.R, p.Alpha, p.A, p.B);
        var logHyp = SpecialFunctions.LogHypergeometric2F1(r, b, a + b - 1, t / (alpha + t));
        return (a + b - 1) / (a - 1) * (1 - Math.Exp((r * Math.Log(alpha / (alpha + t))) + logHyp));
    }

    internal static double LogAddExp(double u, double v)
    {
        var max = Math.Max(u, v);
        return max + Math.Log(1 + Math.Exp(Math.Min(u, v) - max));
    }

    /// <summary>Customers grouped by identical (x, t_x, T), with the distinct T and t_x values tabulated.</summary>
    private sealed class GroupedData
    {
        private int[] _x = [];
        private int[] _ageIndex = [];
        private int[] _recencyIndex = [];
        private double[] _weight = [];
        private double[] _ages = [];
        private double[] _recencies = [];
        private int _maxX;

        public int Customers { get; private init; }

        public int Groups => _x.Length;

        public double TotalFrequency { get; private init; }

        public double TotalAge { get; private init; }

        public static GroupedData Build(IReadOnlyList<int> frequency, IReadOnlyList<double> recency, IReadOnlyList<double> age)
        {
            ArgumentNullException.ThrowIfNull(frequency);
            ArgumentNullException.ThrowIfNull(recency);
            ArgumentNullException.ThrowIfNull(age);
            if (frequency.Count != recency.Count || frequency.Count != age.Count)
            {
                throw new ArgumentException("Frequency, recency and T must have one value per customer.");
            }

            if (frequency.Count == 0)
            {
                throw new ArgumentException("At least one customer is needed to fit BG/NBD.");
            }

            var groups = new Dictionary<(int X, double Tx, double T), int>();
            var ageIds = new Dictionary<double, int>();
            var recencyIds = new Dictionary<double, int>();
            List<int> xs = [], ageIndex = [], recencyIndex = [];
            List<double> weights = [];
            double totalX = 0, totalT = 0;
            for (var i = 0; i < frequency.Count; i++)
            {
                var (x, tx, t) = (frequency[i], recency[i], age[i]);
                if (x < 0 || !double.IsFinite(tx) || !double.IsFinite(t) || tx < 0 || tx > t)
                {
                    throw new ArgumentException($"Customer {i}: frequency {x}, recency {tx}, T {t} are not a valid history (need x ≥ 0 and 0 ≤ recency ≤ T).");
                }

                totalX += x;
                totalT += t;
                if (groups.TryGetValue((x, tx, t), out var g))
                {
                    weights[g]++;
                    continue;
                }

                groups[(x, tx, t)] = xs.Count;
                xs.Add(x);
                ageIndex.Add(IdOf(ageIds, t));
                recencyIndex.Add(IdOf(recencyIds, tx));
                weights.Add(1);
            }

            return new GroupedData
            {
                _x = [.. xs],
                _ageIndex = [.. ageIndex],
                _recencyIndex = [.. recencyIndex],
                _weight = [.. weights],
                _ages = [.. ageIds.OrderBy(kv => kv.Value).Select(kv => kv.Key)],
                _recencies = [.. recencyIds.OrderBy(kv => kv.Value).Select(kv => kv.Key)],
                _maxX = xs.Max(),
                Customers = frequency.Count,
                TotalFrequency = totalX,
                TotalAge = totalT,
            };
        }

        private static int IdOf(Dictionary<double, int> ids, double value)
        {
            if (!ids.TryGetValue(value, out var id))
            {
                id = ids.Count;
                ids[value] = id;
            }

            return id;
        }

        /// <summary>Total log-likelihood at (r, α, a, b); with a gradient array, also writes ∂LL/∂(r, α, a, b) into it.</summary>
        public double LogLikelihood4(double[] theta, double[]? gradient) =>
            LogLikelihood(theta[0], theta[1], theta[2], theta[3], gradient);

        public double LogLikelihood(double r, double alpha, double a, double b, double[]? gradient = null)
        {
            // Keep the optimiser out of regions where ln Γ and the logs lose all precision.
            if (!(r is > 1e-8 and < 1e8) || !(alpha is > 1e-8 and < 1e10) || !(a is > 1e-8 and < 1e8) || !(b is > 1e-8 and < 1e8))
            {
                return double.NegativeInfinity;
            }

            var logAge = new double[_ages.Length];
            var inverseAge = new double[_ages.Length];
            for (var i = 0; i < logAge.Length; i++)
            {
                logAge[i] = Math.Log(alpha + _ages[i]);
                inverseAge[i] = 1 / (alpha + _ages[i]);
            }

            var logRecency = new double[_recencies.Length];
            var inverseRecency = new double[_recencies.Length];
            for (var i = 0; i < logRecency.Length; i++)
            {
                logRecency[i] = Math.Log(alpha + _recencies[i]);
                inverseRecency[i] = 1 / (alpha + _recencies[i]);
            }

            // ln A1 + ln A2, ln a - ln(b + x - 1) and their derivatives depend on x only.
            var constant = new double[_maxX + 1];
            var a4Constant = new double[_maxX + 1];
            var dConstR = new double[_maxX + 1];
            var dConstA = new double[_maxX + 1];
            var dConstB = new double[_maxX + 1];
            var inverseBx = new double[_maxX + 1];
            var baseTerm = -SpecialFunctions.LogGamma(r) + (r * Math.Log(alpha)) + SpecialFunctions.LogGamma(a + b) - SpecialFunctions.LogGamma(b);
            var (psiR, psiAb, psiB) = (SpecialFunctions.Digamma(r), SpecialFunctions.Digamma(a + b), SpecialFunctions.Digamma(b));
            var seen = new bool[_maxX + 1];
            foreach (var x in _x)
            {
                if (seen[x])
                {
                    continue;
                }

                seen[x] = true;
                constant[x] = baseTerm + SpecialFunctions.LogGamma(r + x) + SpecialFunctions.LogGamma(b + x) - SpecialFunctions.LogGamma(a + b + x);
                a4Constant[x] = x == 0 ? 0 : Math.Log(a) - Math.Log(b + x - 1);
                if (gradient is not null)
                {
                    var psiAbx = SpecialFunctions.Digamma(a + b + x);
                    dConstR[x] = SpecialFunctions.Digamma(r + x) - psiR + Math.Log(alpha);
                    dConstA[x] = psiAb - psiAbx;
                    dConstB[x] = psiAb + SpecialFunctions.Digamma(b + x) - psiB - psiAbx;
                    inverseBx[x] = x == 0 ? 0 : 1 / (b + x - 1);
                }
            }

            // Per group: ll = C(x) + ln(e^A3 + e^A4); w3, w4 are the shares of the two terms.
            void Sum(int from, int to, double[] into)
            {
                double sum = 0, gr = 0, gAlpha = 0, ga = 0, gb = 0;
                var withGradient = gradient is not null;
                for (var g = from; g < to; g++)
                {
                    var x = _x[g];
                    var w = _weight[g];
                    var cx = r + x;
                    var iT = _ageIndex[g];
                    var a3 = -cx * logAge[iT];
                    if (x == 0)
                    {
                        sum += w * (constant[0] + a3);
                        if (withGradient)
                        {
                            gr += w * (dConstR[0] - logAge[iT]);
                            gAlpha += w * ((r / alpha) - (cx * inverseAge[iT]));
                            ga += w * dConstA[0];
                            gb += w * dConstB[0];
                        }

                        continue;
                    }

                    var iR = _recencyIndex[g];
                    var a4 = a4Constant[x] - (cx * logRecency[iR]);
                    double ll, w3;
                    if (a3 >= a4)
                    {
                        var e = Math.Exp(a4 - a3);
                        ll = a3 + Math.Log(1 + e);
                        w3 = 1 / (1 + e);
                    }
                    else
                    {
                        var e = Math.Exp(a3 - a4);
                        ll = a4 + Math.Log(1 + e);
                        w3 = e / (1 + e);
                    }

                    sum += w * (constant[x] + ll);
                    if (withGradient)
                    {
                        var w4 = 1 - w3;
                        gr += w * (dConstR[x] - (w3 * logAge[iT]) - (w4 * logRecency[iR]));
                        gAlpha += w * ((r / alpha) - (cx * ((w3 * inverseAge[iT]) + (w4 * inverseRecency[iR]))));
                        ga += w * (dConstA[x] + (w4 / a));
                        gb += w * (dConstB[x] - (w4 * inverseBx[x]));
                    }
                }

                (into[0], into[1], into[2], into[3], into[4]) = (sum, gr, gAlpha, ga, gb);
            }

            const int chunk = 32_768;
            var chunks = (_x.Length + chunk - 1) / chunk;
            var partial = new double[chunks][];
            if (chunks == 1)
            {
                partial[0] = new double[5];
                Sum(0, _x.Length, partial[0]);
            }
            else
            {
                Parallel.For(0, chunks, c =>
                {
                    partial[c] = new double[5];
                    Sum(c * chunk, Math.Min((c + 1) * chunk, _x.Length), partial[c]);
                });
            }

            // Summed in chunk order so the result does not depend on thread timing.
            var total = new double[5];
            foreach (var p in partial)
            {
                for (var k = 0; k < 5; k++)
                {
                    total[k] += p[k];
                }
            }

            if (gradient is not null)
            {
                Array.Copy(total, 1, gradient, 0, 4);
            }

            return total[0];
        }
    }
}
