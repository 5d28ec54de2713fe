namespace ClvPortal.Core.Models;

/// <summary>The special functions the BG/NBD and Gamma-Gamma likelihoods need, in double precision.</summary>
internal static class SpecialFunctions
{
    // Lanczos approximation, g = 7, n = 9 (Numerical Recipes / Boost coefficients): ~1e-15 relative
    // accuracy for x > 0, which is all the likelihoods ever ask for.
    private static readonly double[] Lanczos =
    [
        0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
        -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
        1.5056327351493116e-7,
    ];

    private const double HalfLogTwoPi = 0.91893853320467274178;

    /// <summary>ln Γ(x) for x &gt; 0.</summary>
    public static double LogGamma(double x)
    {
        if (x <= 0 || double.IsNaN(x))
        {
            return double.NaN;
        }

        if (x < 0.5)
        {
            // Reflection keeps the series in its accurate range: Γ(x)Γ(1-x) = π / sin(πx).
            return Math.Log(Math.PI / Math.Sin(Math.PI * x)) - LogGamma(1 - x);
        }

        x -= 1;
        var sum = Lanczos[0];
        for (var i = 1; i < Lanczos.Length; i++)
        {
            sum += Lanczos[i] / (x + i);
        }

        var t = x + 7.5;
        return HalfLogTwoPi + ((x + 0.5) * Math.Log(t)) - t + Math.Log(sum);
    }

    /// <summary>ψ(x) = d ln Γ(x) / dx for x &gt; 0: recurrence up to x ≥ 10, then the asymptotic series (A&amp;S 6.3.18).</summary>
    public static double Digamma(double x)
    {
        if (x <= 0 || double.IsNaN(x))
        {
            return double.NaN;
        }

        var result = 0.0;
        while (x < 10)
        {
            result -= 1 / x;
            x += 1;
        }

        var inv2 = 1 / (x * x);
        return result + Math.Log(x) - (0.5 / x)
            - (inv2 * ((1.0 / 12) - (inv2 * ((1.0 / 120) - (inv2 * ((1.0 / 252) - (inv2 * ((1.0 / 240) - (inv2 / 132)))))))));
    }

    /// <summary>
    /// Natural log of the Gauss hypergeometric function ₂F₁(a, b; c; z) for 0 ≤ z &lt; 1 and c &gt; 0.
    /// Sums the power series directly, or after Euler's transformation
    /// ₂F₁(a,b;c;z) = (1-z)^(c-a-b) ₂F₁(c-a, c-b; c; z) when that makes the terms decay faster
    /// (large frequencies make a + b - c large, and the direct series' terms then grow for a long
    /// while before z^n wins). Returns NaN when the series does not converge in the term budget.
    /// </summary>
    public static double LogHypergeometric2F1(double a, double b, double c, double z)
    {
        if (!(z >= 0 && z < 1) || !(c > 0))
        {
            return double.NaN;
        }

        if (z == 0)
        {
            return 0;
        }

        if (a + b - c > 0)
        {
            var transformed = SumSeries(c - a, c - b, c, z);
            return ((c - a - b) * Math.Log(1 - z)) + Math.Log(transformed);
        }

        return Math.Log(SumSeries(a, b, c, z));
    }

    /// <summary>₂F₁(a, b; c; z) (see <see cref="LogHypergeometric2F1"/>).</summary>
    public static double Hypergeometric2F1(double a, double b, double c, double z) =>
        Math.Exp(LogHypergeometric2F1(a, b, c, z));

    private const int MaxTerms = 1_000_000;

    private static double SumSeries(double a, double b, double c, double z)
    {
        var term = 1.0;
        var sum = 1.0;
        for (var n = 0; n < MaxTerms; n++)
        {
            term *= (a + n) * (b + n) / ((c + n) * (n + 1)) * z;
            sum += term;
            // Terms can change sign only while a + n or b + n is negative; after that they keep
            // one sign and decay geometrically, so a tiny relative term means the tail is negligible.
            if (Math.Abs(term) <= 1e-16 * Math.Abs(sum) && n + Math.Min(a, b) > 0)
            {
                return sum;
            }

            if (term == 0)
            {
                return sum;
            }
        }

        return double.NaN;
    }
}
