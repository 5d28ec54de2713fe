namespace ClvPortal.Core.Models;

/// <summary>Maximum likelihood over positive parameters, on their logarithms.</summary>
internal static class Optimizer
{
    /// <summary>
    /// Maximises a log-likelihood given as (θ, gradient-or-null) → LL(θ), starting at ln θ =
    /// <paramref name="logStart"/>. BFGS with the analytic gradient does the work; a Nelder-Mead
    /// polish from its result follows when BFGS reports no convergence (a flat likelihood ridge),
    /// so a hard data set costs time rather than a wrong answer. Returns the minimising ln θ and -LL.
    /// </summary>
    public static (double[] LogPoint, double Value, int Evaluations) MinimizeNegativeLogLikelihood(
        Func<double[], double[]?, double> logLikelihood, double[] logStart)
    {
        var n = logStart.Length;
        var theta = new double[n];
        var gradient = new double[n];

        double ValueAndGradient(double[] phi, double[] phiGradient)
        {
            for (var i = 0; i < n; i++)
            {
                theta[i] = Math.Exp(phi[i]);
            }

            var ll = logLikelihood(theta, gradient);
            // d(-LL)/d ln θ = -θ · dLL/dθ
            for (var i = 0; i < n; i++)
            {
                phiGradient[i] = -theta[i] * gradient[i];
            }

            return double.IsFinite(ll) ? -ll : double.PositiveInfinity;
        }

        var (point, value, evaluations, converged) = Bfgs.Minimize(ValueAndGradient, logStart);
        if (converged && double.IsFinite(value))
        {
            return (point, value, evaluations);
        }

        var polished = NelderMead.Minimize(
            phi =>
            {
                var t = phi.Select(Math.Exp).ToArray();
                var ll = logLikelihood(t, null);
                return double.IsFinite(ll) ? -ll : double.PositiveInfinity;
            },
            double.IsFinite(value) ? point : logStart);
        return (polished.Point, polished.Value, evaluations + polished.Evaluations);
    }
}
