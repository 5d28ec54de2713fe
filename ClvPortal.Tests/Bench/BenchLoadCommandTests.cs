using System.Globalization;
using System.Text.RegularExpressions;
using ClvPortal.Bench;
using ClvPortal.Tests.Infrastructure;
using MongoDB.Driver;

namespace ClvPortal.Tests.Bench;

[Trait("Category", "Integration")]
public sealed partial class BenchLoadCommandTests
{
    [Fact]
    public async Task BenchLoad_TinyRun_BrowsesAndUploadsWithoutErrorsAndDropsItsDatabase()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        // 10 s: each user's first round (the pages' first renders) took 3-4 s on a busy 2-core machine, and the test
        // needs one whole round per user.
        var exit = await BenchProgram.RunAsync(
            ["bench-load", MongoServerFixture.Instance.ConnectionString, "--seconds", "10", "--users", "2", "--uploads", "1", "--upload-mb", "1", "--customers", "50"],
            stdout, stderr);

        var output = stdout.ToString();
        Assert.True(exit == 0, output + stderr);
        var pages = Counts("page views", output);
        var uploads = Counts("uploads", output);
        Assert.True(pages.Requests > 0, output);
        Assert.Equal(0, pages.Errors);
        Assert.True(uploads.Requests > 0, output);
        Assert.Equal(0, uploads.Errors);
        // Every page of a browsing round was requested, each without error.
        foreach (var page in new[] { "my analyses", "results", "customer table", "customer search", "customer page", "status" })
        {
            Assert.True(Counts("  " + page, output) is { Requests: > 0, Errors: 0 }, output);
        }

        Assert.Contains("errors      none", output, StringComparison.Ordinal);
        var database = ScratchDatabase().Match(output).Groups[1].Value;
        var databases = await (await MongoServerFixture.Instance.Client.ListDatabaseNamesAsync()).ToListAsync();
        Assert.DoesNotContain(database, databases);
    }

    [Fact]
    public async Task BenchLoad_UnknownOptionAndNoConnectionString_ExitsTwoNamingBoth()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var exit = await BenchProgram.RunAsync(["bench-load", "--users", "5", "--user", "3"], stdout, stderr);

        Assert.Equal(2, exit);
        Assert.Contains("--user is not an option", stderr.ToString(), StringComparison.Ordinal);
        Assert.Contains("MongoDB connection string", stderr.ToString(), StringComparison.Ordinal);
    }

    /// <summary>A report row: name, requests, errors, then the latencies.</summary>
    private static (long Requests, long Errors) Counts(string row, string output)
    {
        var match = Regex.Match(output, $@"^{Regex.Escape(row)}\s+([\d,]+)\s+([\d,]+)\s", RegexOptions.Multiline);
        Assert.True(match.Success, $"No row \"{row}\" in:\n{output}");
        return (Parse(match.Groups[1].Value), Parse(match.Groups[2].Value));

        static long Parse(string number) => long.Parse(number, NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"scratch database (\S+)")]
    private static partial Regex ScratchDatabase();
}
