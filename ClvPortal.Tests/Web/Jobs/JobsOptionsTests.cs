using System.ComponentModel.DataAnnotations;
using ClvPortal.Web.Jobs;

namespace ClvPortal.Tests.Web.Jobs;

[Trait("Category", "Unit")]
public sealed class JobsOptionsTests
{
    [Theory]
    [InlineData("00:00:01", false)]
    [InlineData("00:00:05", true)]
    [InlineData("00:05:00", true)]
    [InlineData("2.00:00:00", false)]
    public void Validate_InvisibilityTimeout_AcceptsFiveSecondsToOneDay(string timeout, bool valid)
    {
        var options = new JobsOptions { InvisibilityTimeout = TimeSpan.Parse(timeout, System.Globalization.CultureInfo.InvariantCulture) };

        var ok = Validator.TryValidateObject(options, new ValidationContext(options), [], validateAllProperties: true);

        Assert.Equal(valid, ok);
    }

    [Fact]
    public void ThreadsPerJob_OneJobAtATime_GetsEveryCore() =>
        Assert.Equal(Environment.ProcessorCount, new JobsOptions { WorkerCount = 1 }.ThreadsPerJob);

    [Fact]
    public void ThreadsPerJob_OneJobPerCore_GetsOneThreadEach() =>
        Assert.Equal(1, new JobsOptions { WorkerCount = Environment.ProcessorCount }.ThreadsPerJob);

    [Fact]
    public void ThreadsPerJob_MoreJobsThanCores_StillGetsOneThread() =>
        Assert.Equal(1, new JobsOptions { WorkerCount = 100 }.ThreadsPerJob);
}
