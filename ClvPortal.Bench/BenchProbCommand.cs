using System.Diagnostics;
using ClvPortal.Core.Models;
using ClvPortal.Web.Cli;

namespace ClvPortal.Bench;

/// <summary>
/// <c>bench-prob [--customers N]</c>: times the BG/NBD + Gamma-Gamma fit on customers drawn from the
/// models' own generative process (daily data over two years), and shows how close the fit lands to
/// the parameters it was drawn with.
/// </summary>
public static class BenchProbCommand
{
    public const string Help = "Time the BG/NBD + Gamma-Gamma fit on synthetic customers (--customers N, default 1000000).";

    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var parsed = CliArguments.Parse(args).AllowOnly("customers");
        var customers = (int)(parsed.Integer("customers") ?? 1_000_000);
        if (customers < 1)
        {
            parsed.Errors.Add("Customer counts must be at least 1.");
        }

        if (parsed.ReportErrors(stderr, "bench-prob [--customers N]"))
        {
            return Task.FromResult(2);
        }

        // Daily units: a purchase every ~4 months on average (r/α), most customers drop out after a few.
        var truePurchases = new BgNbdParameters(0.25, 30, 0.8, 2.5);
        var trueSpend = new GammaGammaParameters(6, 4, 15);
        var clock = Stopwatch.StartNew();
        var data = BgNbdSimulation.Simulate(truePurchases, trueSpend, customers, 730, wholeUnits: true, seed: 42);
        stdout.WriteLine(FormattableString.Invariant($"Drew {customers:N0} customers (2 years, daily units) in {clock.Elapsed.TotalSeconds:F2} s."));

        clock.Restart();
        var bgnbd = BgNbdModel.Fit(data.Frequency, data.Recency, data.Age);
        var bgnbdSeconds = clock.Elapsed.TotalSeconds;
        clock.Restart();
        var gammaGamma = GammaGammaModel.Fit(data.Frequency, data.MonetaryValue);
        var gammaGammaSeconds = clock.Elapsed.TotalSeconds;

        var b = bgnbd.Parameters;
        stdout.WriteLine(FormattableString.Invariant(
            $"BG/NBD:      {bgnbdSeconds:F2} s ({bgnbd.Groups:N0} distinct (x, t_x, T) groups, {bgnbd.Evaluations} likelihood evaluations)"));
        stdout.WriteLine(FormattableString.Invariant(
            $"             r {b.R:F4} (true {truePurchases.R}), alpha {b.Alpha:F3} ({truePurchases.Alpha}), a {b.A:F4} ({truePurchases.A}), b {b.B:F4} ({truePurchases.B})"));
        if (gammaGamma is not null)
        {
            var g = gammaGamma.Parameters;
            stdout.WriteLine(FormattableString.Invariant(
                $"Gamma-Gamma: {gammaGammaSeconds:F2} s ({gammaGamma.Customers:N0} repeat customers, {gammaGamma.Evaluations} likelihood evaluations)"));
            stdout.WriteLine(FormattableString.Invariant(
                $"             p {g.P:F4} (true {trueSpend.P}), q {g.Q:F4} ({trueSpend.Q}), v {g.V:F3} ({trueSpend.V})"));
        }

        stdout.WriteLine(FormattableString.Invariant($"Total fit:   {bgnbdSeconds + gammaGammaSeconds:F2} s"));
        return Task.FromResult(0);
    }
}
