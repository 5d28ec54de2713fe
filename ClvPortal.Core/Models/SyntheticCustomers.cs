using ClvPortal.Core.Features;

namespace ClvPortal.Core.Models;

/// <summary>
/// Reproducible made-up customers with a buy-till-you-die shape (a purchase rate, a chance of having
/// churned, lognormal order values) and holdout revenue, for benchmarks and tests of the models.
/// </summary>
public static class SyntheticCustomers
{
    /// <param name="missingShare">Share of customers whose recency and monetary value are NaN (missing).</param>
    public static IReadOnlyList<CustomerFeatures> Generate(int count, int seed = 1, double missingShare = 0, double days = 365)
    {
        var random = new Random(seed);
        var customers = new CustomerFeatures[count];
        var start = new DateOnly(2024, 1, 1);
        for (var i = 0; i < count; i++)
        {
            var t = 1 + random.NextDouble() * (days - 1);
            var ratePerDay = Math.Exp(-4.5 + random.NextDouble() * 2.5) * (random.NextDouble() < 0.3 ? 0.2 : 1);
            var frequency = Poisson(random, ratePerDay * t);
            var recency = frequency == 0 ? 0 : t * Math.Sqrt(random.NextDouble());
            var orderValue = Math.Exp(3 + random.NextDouble() * 1.5);
            var monetary = frequency == 0 ? 0 : orderValue * (0.8 + 0.4 * random.NextDouble());
            var total = orderValue + frequency * monetary;

            // Long silence relative to the purchase rate means probably churned.
            var alive = random.NextDouble() < Math.Exp(-(t - recency) * ratePerDay * 0.3);
            var holdoutPurchases = alive ? Poisson(random, ratePerDay * days) : 0;
            var holdoutRevenue = holdoutPurchases * orderValue * (0.7 + 0.6 * random.NextDouble());
            if (random.NextDouble() < missingShare)
            {
                recency = double.NaN;
                monetary = double.NaN;
            }

            var first = start.AddDays(random.Next(0, 30));
            customers[i] = new CustomerFeatures(
                $"C{i}", frequency, recency, t, monetary, total, frequency + 1, first,
                first.AddDays(double.IsNaN(recency) ? 0 : (int)recency), holdoutPurchases, holdoutRevenue);
        }

        return customers;
    }

    private static int Poisson(Random random, double mean)
    {
        // Knuth's method is fine for the small means used here; cap to keep it bounded.
        var limit = Math.Exp(-Math.Min(mean, 50));
        var count = 0;
        for (var product = random.NextDouble(); product > limit && count < 200; product *= random.NextDouble())
        {
            count++;
        }

        return count;
    }
}
