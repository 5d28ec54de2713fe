using System.Diagnostics;
using ClvPortal.Core.Synthetic;
using ClvPortal.Web.Cli;

namespace ClvPortal.Bench;

/// <summary><c>generate --rows N --format csv|xlsx --seed S --out FILE [--customers N]</c>: writes a synthetic Online-Retail-like file.</summary>
public static class GenerateCommand
{
    public const string Help = "generate --rows N --format csv|xlsx --out FILE [--seed S] [--customers N]: write a synthetic Online-Retail-like transaction file";

    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var parsed = CliArguments.Parse(args);
        var rows = parsed.Integer("rows") ?? 100_000;
        var customers = parsed.Integer("customers");
        var seed = parsed.Integer("seed") ?? 1;
        var output = parsed.Text("out");
        var format = (parsed.Text("format") ?? Path.GetExtension(output ?? "").TrimStart('.')).ToLowerInvariant();
        if (output is null)
        {
            parsed.Errors.Add("--out FILE is required: the file to write.");
        }

        if (format is not ("csv" or "xlsx"))
        {
            parsed.Errors.Add($"--format must be csv or xlsx, not \"{format}\".");
        }

        if (customers is > int.MaxValue or 0 || seed > int.MaxValue)
        {
            parsed.Errors.Add("--customers must be between 1 and 2147483647, --seed at most 2147483647.");
        }

        if (parsed.Errors.Count > 0)
        {
            stderr.WriteLine(string.Join(Environment.NewLine, parsed.Errors));
            stderr.WriteLine("Usage: " + Help);
            return Task.FromResult(2);
        }

        var options = new GeneratorOptions { Rows = rows, Customers = (int?)customers, Seed = (int)seed };
        var elapsed = Write(output!, format, options);
        stdout.WriteLine($"Wrote {rows:N0} rows for {options.Customers ?? Math.Max(10, rows / 120):N0} customers to {output} ({new FileInfo(output!).Length / 1e6:N1} MB) in {elapsed.TotalSeconds:N1} s.");
        return Task.FromResult(0);
    }

    /// <summary>Writes the file (the benchmark uses this too) and returns how long it took.</summary>
    internal static TimeSpan Write(string path, string format, GeneratorOptions options)
    {
        var stopwatch = Stopwatch.StartNew();
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        using (var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
        {
            if (format == "xlsx")
            {
                TransactionGenerator.WriteXlsx(file, options);
            }
            else
            {
                TransactionGenerator.WriteCsv(file, options);
            }
        }

        return stopwatch.Elapsed;
    }
}
