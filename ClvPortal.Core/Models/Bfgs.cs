namespace ClvPortal.Core.Models;

/// <summary>
/// Quasi-Newton minimiser (BFGS with a backtracking Armijo line search; Nocedal &amp; Wright, alg. 6.1)
/// for smooth objectives with an analytic gradient. On the BG/NBD and Gamma-Gamma likelihoods it
/// needs tens of evaluations where a simplex needs hundreds, which is what a million customers
/// within seconds takes.
/// </summary>
internal static class Bfgs
{
    /// <summary>
    /// Minimises f from <paramref name="start"/>; <paramref name="valueAndGradient"/> returns f(x) and
    /// writes ∇f(x) into its second argument. Converged is false when the iteration budget ran out
    /// or the line search could not make progress away from a stationary point.
    /// </summary>
    public static (double[] Point, double Value, int Evaluations, bool Converged) Minimize(
        Func<double[], double[], double> valueAndGradient, double[] start, int maxIterations = 300)
    {
        var n = start.Length;
        var x = (double[])start.Clone();
        var g = new double[n];
        var f = valueAndGradient(x, g);
        var evaluations = 1;
        if (!double.IsFinite(f))
        {
            return (x, f, evaluations, false);
        }

        var h = Identity(n);
        var xNew = new double[n];
        var gNew = new double[n];
        var direction = new double[n];
        for (var iteration = 0; iteration < maxIterations; iteration++)
        {
            if (MaxAbs(g) <= 1e-9 * (1 + Math.Abs(f)))
            {
                return (x, f, evaluations, true);
            }

            for (var i = 0; i < n; i++)
            {
                direction[i] = 0;
                for (var j = 0; j < n; j++)
                {
                    direction[i] -= h[i, j] * g[j];
                }
            }

            var slope = Dot(direction, g);
            if (slope >= 0)
            {
                // Lost positive definiteness: restart from steepest descent.
                h = Identity(n);
                for (var i = 0; i < n; i++)
                {
                    direction[i] = -g[i];
                }

                slope = -Dot(g, g);
            }

            // Steps are in log-parameters: never try more than a factor e^3 at once.
            var step = Math.Min(1.0, 3 / Math.Max(MaxAbs(direction), 1e-300));
            double fNew;
            var accepted = false;
            do
            {
                for (var i = 0; i < n; i++)
                {
                    xNew[i] = x[i] + (step * direction[i]);
                }

                fNew = valueAndGradient(xNew, gNew);
                evaluations++;
                if (double.IsFinite(fNew) && fNew <= f + (1e-4 * step * slope))
                {
                    accepted = true;
                    break;
                }

                step *= 0.5;
            }
            while (step > 1e-12);

            if (!accepted)
            {
                return (x, f, evaluations, MaxAbs(g) <= 1e-6 * (1 + Math.Abs(f)));
            }

            var s = new double[n];
            var y = new double[n];
            for (var i = 0; i < n; i++)
            {
                s[i] = xNew[i] - x[i];
                y[i] = gNew[i] - g[i];
            }

            var change = f - fNew;
            Array.Copy(xNew, x, n);
            Array.Copy(gNew, g, n);
            f = fNew;
            var sy = Dot(s, y);
            if (sy > 1e-12 * Math.Sqrt(Dot(s, s) * Dot(y, y)))
            {
                if (iteration == 0)
                {
                    // Scale the initial guess to the curvature just seen (Nocedal & Wright eq. 6.20).
                    h = Identity(n);
                    var scale = sy / Dot(y, y);
                    for (var i = 0; i < n; i++)
                    {
                        h[i, i] = scale;
                    }
                }

                UpdateInverseHessian(h, s, y, sy);
            }

            if (change <= 1e-15 * Math.Abs(f) && MaxAbs(g) <= 1e-6 * (1 + Math.Abs(f)))
            {
                return (x, f, evaluations, true);
            }
        }

        return (x, f, evaluations, false);
    }

    // H ← (I - ρ s yᵀ) H (I - ρ y sᵀ) + ρ s sᵀ, ρ = 1 / (yᵀ s).
    private static void UpdateInverseHessian(double[,] h, double[] s, double[] y, double sy)
    {
        var n = s.Length;
        var rho = 1 / sy;
        var hy = new double[n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                hy[i] += h[i, j] * y[j];
            }
        }

        var yhy = Dot(y, hy);
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                h[i, j] += (((1 + (rho * yhy)) * rho * s[i] * s[j]) - (rho * ((hy[i] * s[j]) + (s[i] * hy[j]))));
            }
        }
    }

    private static double[,] Identity(int n)
    {
        var h = new double[n, n];
        for (var i = 0; i < n; i++)
        {
            h[i, i] = 1;
        }

        return h;
    }

    private static double Dot(double[] u, double[] v)
    {
        var sum = 0.0;
        for (var i = 0; i < u.Length; i++)
        {
            sum += u[i] * v[i];
        }

        return sum;
    }

    private static double MaxAbs(double[] v) => v.Max(Math.Abs);
}
