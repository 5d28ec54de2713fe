using ClvPortal.Bench;
using ClvPortal.Tests.Infrastructure;

namespace ClvPortal.Tests.Bench;

[Trait("Category", "Integration")]
public sealed class BenchUploadCommandTests
{
    [Fact]
    public async Task BenchUpload_OneMegabyte_PrintsThroughputAndWebProcessMemory()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var exit = await BenchProgram.RunAsync(["bench-upload", MongoServerFixture.Instance.ConnectionString, "--mb", "1"], stdout, stderr);

        var output = stdout.ToString();
        Assert.True(exit == 0, output + stderr);
        Assert.Contains("uploaded      1 MB generated CSV", output, StringComparison.Ordinal);
        Assert.Matches(@"throughput    [\d.,]+ MB/s", output);
        Assert.Matches(@"peak sampled [1-9][\d,]* MB", output);
    }
}
