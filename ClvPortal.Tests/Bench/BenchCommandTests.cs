using ClvPortal.Bench;

namespace ClvPortal.Tests.Bench;

[Trait("Category", "Unit")]
public sealed class BenchCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("clvportal-bench-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Bench_SmallSizes_GeneratesTheFilesAndPrintsSpeedAndMemoryForEach()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var exit = await BenchProgram.RunAsync(["bench", "--csv", "2k,3k", "--xlsx", "1k", "--customers", "100", "--dir", _directory], stdout, stderr);

        Assert.True(exit == 0, stderr.ToString());
        var output = stdout.ToString();
        Assert.Contains("rows/s", output, StringComparison.Ordinal);
        Assert.Contains("peak MB", output, StringComparison.Ordinal);
        Assert.Contains("cohorts s", output, StringComparison.Ordinal);
        Assert.Equal(3, Directory.GetFiles(_directory).Length);
        foreach (var file in Directory.GetFiles(_directory))
        {
            Assert.Contains(Path.GetFileName(file), output, StringComparison.Ordinal);
        }
    }
}
