using System.Globalization;

namespace ClvPortal.Web.Cli;

/// <summary>
/// The commands' arguments: positionals, <c>--name value</c> options and <c>--flag</c> switches.
/// Mistakes are reported as messages, not exceptions, so a command can print them and exit 2.
/// </summary>
public sealed class CliArguments
{
    private readonly Dictionary<string, string?> _options = new(StringComparer.OrdinalIgnoreCase);

    private CliArguments()
    {
    }

    public List<string> Positionals { get; } = [];

    public List<string> Errors { get; } = [];

    /// <param name="switches">Options that take no value.</param>
    public static CliArguments Parse(string[] args, params string[] switches)
    {
        var parsed = new CliArguments();
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                parsed.Positionals.Add(arg);
            }
            else if (switches.Contains(arg[2..], StringComparer.OrdinalIgnoreCase))
            {
                parsed._options[arg[2..]] = null;
            }
            else if (i + 1 < args.Length)
            {
                parsed._options[arg[2..]] = args[++i];
            }
            else
            {
                parsed.Errors.Add($"The option {arg} needs a value.");
            }
        }

        return parsed;
    }

    public bool Has(string name) => _options.ContainsKey(name);

    /// <summary>Reports every option given that is not among <paramref name="known"/> (a typo should not be ignored).</summary>
    public CliArguments AllowOnly(params string[] known)
    {
        foreach (var name in _options.Keys.Where(n => !known.Contains(n, StringComparer.OrdinalIgnoreCase)))
        {
            Errors.Add($"--{name} is not an option of this command.");
        }

        return this;
    }

    /// <summary>Writes the errors and the usage to <paramref name="stderr"/>; true when there were any (exit with 2).</summary>
    public bool ReportErrors(TextWriter stderr, string usage)
    {
        foreach (var error in Errors)
        {
            stderr.WriteLine(error);
        }

        if (Errors.Count > 0)
        {
            stderr.WriteLine($"Usage: {usage}");
        }

        return Errors.Count > 0;
    }

    public string? Text(string name) => _options.GetValueOrDefault(name);

    public long? Integer(string name)
    {
        if (Text(name) is not { } text)
        {
            return null;
        }

        // Accept 1M / 10M / 100k, the way people say sizes.
        var multiplier = char.ToUpperInvariant(text[^1]) switch { 'K' => 1_000L, 'M' => 1_000_000L, _ => 1L };
        var digits = multiplier == 1 ? text : text[..^1];
        if (long.TryParse(digits.Replace("_", "", StringComparison.Ordinal), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= 0)
        {
            return value * multiplier;
        }

        Errors.Add($"--{name} must be a whole number (like 1000000 or 1M), not \"{text}\".");
        return null;
    }

    public DateOnly? Date(string name)
    {
        if (Text(name) is not { } text)
        {
            return null;
        }

        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date;
        }

        Errors.Add($"--{name} must be a date written as yyyy-MM-dd (like 1997-09-30), not \"{text}\".");
        return null;
    }
}
