namespace ClvPortal.Core.Models;

/// <summary>Customers drawn from the BG/NBD and Gamma-Gamma generative processes, for recovery tests and benchmarks.</summary>
/// <param name="MonetaryValue">Mean repeat-transaction value (0 without repeat purchases).</param>
public sealed record SimulatedCustomers(int[] Frequency, double[] Recency, double[] Age, double[] MonetaryValue);

/// <summary>
/// Draws customers exactly as the models assume (FHL 2005 §3; lifetimes'
/// <c>beta_geometric_nbd_model</c> generator): λ ~ Gamma(r, α), dropout p ~ Beta(a, b); repeat
/// purchases arrive as a Poisson process with rate λ and after each one the customer drops out with
/// probability p. Spend: ν ~ Gamma(q, v), each transaction ~ Gamma(p, ν).
/// </summary>
public static class BgNbdSimulation
{
    /// <param name="maxAge">Ages T are uniform on (0, maxAge]; with <paramref name="wholeUnits"/> they and the purchase times are whole units, like daily data.</param>
    public static SimulatedCustomers Simulate(
        BgNbdParameters purchases, GammaGammaParameters spend, int customers, double maxAge, bool wholeUnits, int seed)
    {
        ArgumentNullException.ThrowIfNull(purchases);
        ArgumentNullException.ThrowIfNull(spend);
        var random = new Random(seed);
        var x = new int[customers];
        var tx = new double[customers];
        var age = new double[customers];
        var m = new double[customers];
        for (var i = 0; i < customers; i++)
        {
            var t = wholeUnits ? random.Next(1, (int)maxAge + 1) : maxAge * (1 - random.NextDouble());
            var lambda = Gamma(random, purchases.R) / purchases.Alpha;
            var p = Beta(random, purchases.A, purchases.B);
            var nu = Gamma(random, spend.Q) / spend.V;
            double clock = 0, last = 0, total = 0;
            var count = 0;
            while (true)
            {
                clock += -Math.Log(1 - random.NextDouble()) / lambda;
                var at = wholeUnits ? Math.Ceiling(clock) : clock;
                if (at > t)
                {
                    break;
                }

                count++;
                last = at;
                total += Gamma(random, spend.P) / nu;
                if (random.NextDouble() < p)
                {
                    break;
                }
            }

            (x[i], tx[i], age[i], m[i]) = (count, last, t, count > 0 ? total / count : 0);
        }

        return new SimulatedCustomers(x, tx, age, m);
    }

    // Marsaglia & Tsang (2000), with the U^(1/k) boost for shapes below 1. Unit scale.
    private static double Gamma(Random random, double shape)
    {
        if (shape < 1)
        {
            return Gamma(random, shape + 1) * Math.Pow(random.NextDouble(), 1 / shape);
        }

        var d = shape - (1.0 / 3);
        var c = 1 / Math.Sqrt(9 * d);
        while (true)
        {
            double z, v;
            do
            {
                z = Normal(random);
                v = 1 + (c * z);
            }
            while (v <= 0);

            v = v * v * v;
            var u = random.NextDouble();
            if (Math.Log(u) < (0.5 * z * z) + d - (d * v) + (d * Math.Log(v)))
            {
                return d * v;
            }
        }
    }

    private static double Beta(Random random, double a, double b)
    {
        var x = Gamma(random, a);
        return x / (x + Gamma(random, b));
    }

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
