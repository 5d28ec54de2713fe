namespace ClvPortal.Core.Models;

/// <summary>
/// Derivative-free minimiser (Nelder &amp; Mead 1965, with the adaptive coefficients of Gao &amp; Han 2012)
/// used on log-parameters, so every parameter stays positive without constraints. Restarts from the
/// best point with a fresh simplex until a restart no longer improves the minimum: a plain simplex
/// can stall on the long, curved valleys the BG/NBD likelihood has along a and b.
/// </summary>
internal static class NelderMead
{
    /// <summary>Minimises <paramref name="f"/> from <paramref name="start"/>; non-finite values count as +∞.</summary>
    public static (double[] Point, double Value, int Evaluations) Minimize(
        Func<double[], double> f, double[] start, double tolerance = 1e-10, int maxEvaluations = 20_000, int maxRestarts = 8)
    {
        var best = (double[])start.Clone();
        var bestValue = Evaluate(f, best);
        var evaluations = 1;
        for (var restart = 0; restart <= maxRestarts && evaluations < maxEvaluations; restart++)
        {
            var (point, value, used) = RunSimplex(f, best, bestValue, tolerance, maxEvaluations - evaluations);
            evaluations += used;
            var improved = bestValue - value > tolerance * (Math.Abs(bestValue) + tolerance);
            best = point;
            bestValue = value;
            if (!improved && restart > 0)
            {
                break;
            }
        }

        return (best, bestValue, evaluations);
    }

    private static double Evaluate(Func<double[], double> f, double[] x)
    {
        var value = f(x);
        return double.IsFinite(value) ? value : double.PositiveInfinity;
    }

    private static (double[] Point, double Value, int Evaluations) RunSimplex(
        Func<double[], double> f, double[] start, double startValue, double tolerance, int budget)
    {
        var n = start.Length;
        double alpha = 1, beta = 1 + (2.0 / n), gamma = 0.75 - (1.0 / (2 * n)), delta = 1 - (1.0 / n);
        var simplex = new double[n + 1][];
        var values = new double[n + 1];
        simplex[0] = (double[])start.Clone();
        values[0] = startValue;
        var evaluations = 0;
        for (var i = 0; i < n; i++)
        {
            var vertex = (double[])start.Clone();
            // A step of 0.5 in log space is a factor of ~1.6: large enough to leave a stalled point.
            vertex[i] += 0.5;
            simplex[i + 1] = vertex;
            values[i + 1] = Evaluate(f, vertex);
            evaluations++;
        }

        var order = new int[n + 1];
        var centroid = new double[n];
        while (evaluations < budget)
        {
            for (var i = 0; i <= n; i++)
            {
                order[i] = i;
            }

            Array.Sort(order, (p, q) => values[p].CompareTo(values[q]));
            int bestIndex = order[0], worst = order[n], secondWorst = order[n - 1];
            var spread = Math.Abs(values[worst] - values[bestIndex]);
            var size = 0.0;
            for (var i = 0; i <= n; i++)
            {
                for (var j = 0; j < n; j++)
                {
                    size = Math.Max(size, Math.Abs(simplex[i][j] - simplex[bestIndex][j]));
                }
            }

            if (spread <= tolerance * (Math.Abs(values[bestIndex]) + tolerance) && size < 1e-7)
            {
                break;
            }

            Array.Clear(centroid);
            for (var i = 0; i <= n; i++)
            {
                if (i == worst)
                {
                    continue;
                }

                for (var j = 0; j < n; j++)
                {
                    centroid[j] += simplex[i][j] / n;
                }
            }

            var reflected = Along(centroid, simplex[worst], -alpha);
            var reflectedValue = Evaluate(f, reflected);
            evaluations++;
            if (reflectedValue < values[bestIndex])
            {
                var expanded = Along(centroid, simplex[worst], -alpha * beta);
                var expandedValue = Evaluate(f, expanded);
                evaluations++;
                (simplex[worst], values[worst]) = expandedValue < reflectedValue ? (expanded, expandedValue) : (reflected, reflectedValue);
                continue;
            }

            if (reflectedValue < values[secondWorst])
            {
                (simplex[worst], values[worst]) = (reflected, reflectedValue);
                continue;
            }

            var outside = reflectedValue < values[worst];
            var contracted = Along(centroid, simplex[worst], outside ? -alpha * gamma : gamma);
            var contractedValue = Evaluate(f, contracted);
            evaluations++;
            if (contractedValue < Math.Min(reflectedValue, values[worst]))
            {
                (simplex[worst], values[worst]) = (contracted, contractedValue);
                continue;
            }

            for (var i = 0; i <= n; i++)
            {
                if (i == bestIndex)
                {
                    continue;
                }

                for (var j = 0; j < n; j++)
                {
                    simplex[i][j] = simplex[bestIndex][j] + (delta * (simplex[i][j] - simplex[bestIndex][j]));
                }

                values[i] = Evaluate(f, simplex[i]);
                evaluations++;
            }
        }

        var argmin = 0;
        for (var i = 1; i <= n; i++)
        {
            if (values[i] < values[argmin])
            {
                argmin = i;
            }
        }

        return (simplex[argmin], values[argmin], evaluations);
    }

    // centroid + t * (vertex - centroid): t = -1 reflects, -2 expands, ±0.5 contracts.
    private static double[] Along(double[] centroid, double[] vertex, double t)
    {
        var point = new double[centroid.Length];
        for (var j = 0; j < point.Length; j++)
        {
            point[j] = centroid[j] + (t * (vertex[j] - centroid[j]));
        }

        return point;
    }
}
