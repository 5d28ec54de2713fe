namespace ClvPortal.Core.Synthetic;

/// <summary>One generated invoice line, in the columns of UCI Online Retail.</summary>
/// <param name="CustomerId">0 for a guest (the file leaves the id empty).</param>
/// <param name="UnitPriceCents">Price in cents, so files print exact two-decimal prices.</param>
internal readonly record struct SyntheticLine(
    long Invoice, bool Cancelled, int Product, int Quantity, DateTime Date, int UnitPriceCents, int CustomerId, int Country);

/// <summary>
/// Writes realistic synthetic transaction files of any size, seeded: Online-Retail-like rows with
/// repeat-purchase behaviour, skewed spend and the flaws real exports have.
/// <para>
/// Customers follow a Pareto/NBD-like process (Schmittlein, Morrison &amp; Colombo 1987): each joins
/// on a random day, buys as a Poisson process with a gamma-distributed rate and leaves after an
/// exponential lifetime with a gamma-distributed rate, so frequency is overdispersed and many buy
/// once. Order sizes are lognormal per customer (a few wholesalers dominate revenue, as in UCI).
/// About 12% of invoices have no customer id, 2% of a customer's later invoices are cancellations
/// ("C" invoices with negative quantities), 0.2% of lines are returns outside a cancellation, 0.3%
/// are free samples at price 0, and 1% of lines are exact duplicates of the line before.
/// </para>
/// </summary>
public static partial class TransactionGenerator
{
    internal static readonly string[] Countries =
        ["United Kingdom", "Germany", "France", "EIRE", "Spain", "Netherlands", "Belgium", "Switzerland", "Portugal", "Australia", "Norway"];

    private const int ProductCount = 3_000;
    private const double LinesPerInvoice = 20; // UCI Online Retail: 541,909 lines in 25,900 invoices

    internal static void Generate(GeneratorOptions options, Action<SyntheticLine> emit)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(options.Rows);
        var random = new Random(options.Seed);
        var customers = options.CustomerCount;
        var customerSize = new double[customers];
        var customerCountry = new int[customers];
        for (var c = 0; c < customers; c++)
        {
            customerSize[c] = Math.Exp(Normal(random) * 0.9);
            customerCountry[c] = random.NextDouble() < 0.89 ? 0 : 1 + random.Next(Countries.Length - 1);
        }

        // Scale purchase rates so invoices average ~20 lines, whatever the rows-to-customers ratio.
        var plannedInvoices = Math.Max(1, (long)(options.Rows / LinesPerInvoice));
        var trial = Invoices(options, new Random(options.Seed + 1), customers, 1.0);
        var scale = trial.Count == 0 ? 1 : (double)plannedInvoices / trial.Count;
        var invoices = Invoices(options, new Random(options.Seed + 1), customers, scale);
        invoices.Sort((a, b) => a.Minute.CompareTo(b.Minute));
        if (invoices.Count > options.Rows)
        {
            invoices.RemoveRange((int)options.Rows, invoices.Count - (int)options.Rows);
        }

        var sizes = Sizes(random, invoices.Count, options.Rows);
        var start = options.Start.ToDateTime(TimeOnly.MinValue);
        var invoiceNumber = 536_365L;
        SyntheticLine previous = default;
        for (var i = 0; i < invoices.Count; i++)
        {
            var (minute, customer, cancelled) = invoices[i];
            var date = start.AddMinutes(minute);
            var guest = random.NextDouble() < 0.12;
            var id = guest ? 0 : 12_346 + customer;
            var country = customerCountry[customer];
            var number = invoiceNumber++;
            for (var line = 0; line < sizes[i]; line++)
            {
                if (line > 0 && random.NextDouble() < 0.01)
                {
                    emit(previous);
                    continue;
                }

                var product = (int)(ProductCount * Math.Pow(random.NextDouble(), 2.2));
                var price = Price(product);
                var quantity = Quantity(random, customerSize[customer]);
                if (cancelled || random.NextDouble() < 0.002)
                {
                    quantity = -Math.Max(1, quantity / 2);
                }
                else if (random.NextDouble() < 0.003)
                {
                    price = 0;
                }

                previous = new SyntheticLine(number, cancelled, product, quantity, date, price, id, country);
                emit(previous);
            }
        }
    }

    private static List<(int Minute, int Customer, bool Cancelled)> Invoices(GeneratorOptions options, Random random, int customers, double scale)
    {
        var invoices = new List<(int, int, bool)>();
        var days = options.Days;
        for (var c = 0; c < customers; c++)
        {
            // Purchase rate per day ~ Gamma(0.75, mean 1/25), lifetime ~ Exp(rate ~ Gamma(1.2, mean 1/400)).
            var rate = Gamma(random, 0.75) / 0.75 / 25 * scale;
            var dropout = Gamma(random, 1.2) / 1.2 / 400;
            var birth = random.NextDouble() * days * 0.8;
            var death = Math.Min(days, birth + (-Math.Log(1 - random.NextDouble()) / dropout));
            var t = birth;
            var first = true;
            while (t < death)
            {
                var minute = ((int)t * 1440) + 480 + random.Next(600); // shop hours, 08:00 to 18:00
                invoices.Add((minute, c, !first && random.NextDouble() < 0.02));
                first = false;
                t += -Math.Log(1 - random.NextDouble()) / rate;
            }
        }

        return invoices;
    }

    /// <summary>Lines per invoice: 1 + geometric, then nudged so they add up to exactly <paramref name="rows"/>.</summary>
    private static int[] Sizes(Random random, int invoices, long rows)
    {
        var sizes = new int[invoices];
        if (invoices == 0)
        {
            return sizes;
        }

        var mean = (double)rows / invoices;
        var keep = (mean - 1) / mean;
        long total = 0;
        for (var i = 0; i < invoices; i++)
        {
            sizes[i] = keep <= 0 ? 1 : 1 + (int)Math.Min(10_000, Math.Floor(Math.Log(1 - random.NextDouble()) / Math.Log(keep)));
            total += sizes[i];
        }

        while (total < rows)
        {
            var add = (int)Math.Min(rows - total, 1 + ((rows - total) / invoices));
            sizes[random.Next(invoices)] += add;
            total += add;
        }

        while (total > rows)
        {
            var i = random.Next(invoices);
            if (sizes[i] > 1)
            {
                var remove = (int)Math.Min(total - rows, sizes[i] - 1);
                sizes[i] -= remove;
                total -= remove;
            }
        }

        return sizes;
    }

    private static int Quantity(Random random, double size)
    {
        ReadOnlySpan<int> packs = [1, 1, 2, 2, 3, 4, 6, 6, 12, 12, 24];
        return Math.Max(1, (int)Math.Round(packs[random.Next(packs.Length)] * size));
    }

    /// <summary>A fixed lognormal price per product (median 2.50), from a hash of its index so no table is needed.</summary>
    internal static int Price(int product)
    {
        var hash = (uint)product * 2_654_435_761u;
        var u1 = ((hash >> 8) + 0.5) / (1 << 24);
        var u2 = ((((uint)product * 40_503u) ^ hash) % 65_536 + 0.5) / 65_536;
        var normal = Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
        return Math.Max(10, (int)Math.Round(250 * Math.Exp(0.8 * normal) / 5) * 5);
    }

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    /// <summary>Gamma(shape, 1) by Marsaglia &amp; Tsang (2000), boosted for shape &lt; 1.</summary>
    private static double Gamma(Random random, double shape)
    {
        if (shape < 1)
        {
            return Gamma(random, shape + 1) * Math.Pow(1 - random.NextDouble(), 1 / shape);
        }

        var d = shape - (1.0 / 3);
        var c = 1 / Math.Sqrt(9 * d);
        while (true)
        {
            var x = Normal(random);
            var v = 1 + (c * x);
            if (v <= 0)
            {
                continue;
            }

            v = v * v * v;
            var u = 1 - random.NextDouble();
            if (Math.Log(u) < (0.5 * x * x) + d - (d * v) + (d * Math.Log(v)))
            {
                return d * v;
            }
        }
    }
}
