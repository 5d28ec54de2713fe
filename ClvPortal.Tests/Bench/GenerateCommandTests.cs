using ClvPortal.Bench;
using ClvPortal.Web.Cli;

namespace ClvPortal.Tests.Bench;

[Trait("Category", "Integration")]
public sealed class GenerateCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("clvportal-generate-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Generate_XlsxThenAnalyze_ReadsBackEveryRow()
    {
        var file = Path.Combine(_directory, "retail.xlsx");
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var generated = await BenchProgram.RunAsync(["generate", "--rows", "5k", "--format", "xlsx", "--seed", "3", "--out", file], stdout, stderr);
        var analyzed = await CommandLine.RunAsync(["analyze", file, "--out", _directory], stdout, stderr);

        Assert.Equal(0, generated);
        Assert.True(analyzed == 0, stderr.ToString());
        Assert.Contains("5,000 rows read", stdout.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Generate_UnknownFormat_ExitsWithUsage()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var exit = await BenchProgram.RunAsync(["generate", "--rows", "10", "--format", "xls", "--out", Path.Combine(_directory, "x.xls")], stdout, stderr);

        Assert.Equal(2, exit);
        Assert.Contains("--format must be csv or xlsx", stderr.ToString(), StringComparison.Ordinal);
    }
}
