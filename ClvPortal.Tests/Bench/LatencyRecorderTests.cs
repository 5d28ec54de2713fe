using ClvPortal.Bench;

namespace ClvPortal.Tests.Bench;

[Trait("Category", "Unit")]
public sealed class LatencyRecorderTests
{
    [Fact]
    public async Task Summarize_OneToHundredMsFromParallelLoops_NearestRankPercentiles()
    {
        var recorder = new LatencyRecorder();
        var order = Enumerable.Range(1, 100).OrderBy(_ => Random.Shared.Next()).ToArray();

        await Task.WhenAll(order.Chunk(10).Select(chunk => Task.Run(() =>
        {
            foreach (var ms in chunk)
            {
                recorder.Record(TimeSpan.FromMilliseconds(ms));
            }
        })));
        var summary = recorder.Summarize();

        // Nearest rank: p95 of 1..100 is the 95th smallest value, which is 95.
        Assert.Equal(100, summary.Requests);
        Assert.Equal(0, summary.Errors);
        Assert.Equal(50, summary.P50, 9);
        Assert.Equal(95, summary.P95, 9);
        Assert.Equal(99, summary.P99, 9);
        Assert.Equal(100, summary.Max, 9);
    }

    [Fact]
    public void Summarize_ThreeRequests_PercentilesAreLatenciesThatOccurred()
    {
        var recorder = new LatencyRecorder();
        foreach (var ms in new[] { 30.0, 10.0, 20.0 })
        {
            recorder.Record(TimeSpan.FromMilliseconds(ms));
        }

        var summary = recorder.Summarize();

        Assert.Equal(20, summary.P50, 9);
        Assert.Equal(30, summary.P95, 9);
        Assert.Equal(30, summary.P99, 9);
    }

    [Fact]
    public void Summarize_FifteenSlowRequestsInThousand_ShowInP99ButNotP95()
    {
        var recorder = new LatencyRecorder();
        for (var i = 0; i < 985; i++)
        {
            recorder.Record(TimeSpan.FromMilliseconds(5));
        }

        for (var i = 0; i < 15; i++)
        {
            recorder.Record(TimeSpan.FromMilliseconds(2_000));
        }

        var summary = recorder.Summarize();

        // 1.5% slow: rank 950 is fast, rank 990 is slow.
        Assert.Equal(5, summary.P50, 9);
        Assert.Equal(5, summary.P95, 9);
        Assert.Equal(2_000, summary.P99, 9);
    }

    [Fact]
    public void Summarize_Nothing_ZeroRequestsAndLatencies()
    {
        var summary = new LatencyRecorder().Summarize();

        Assert.Equal(0, summary.Requests);
        Assert.Equal(0, summary.P99, 9);
        Assert.Equal(0, summary.Max, 9);
    }

    [Fact]
    public void RecordError_SevenFailures_CountedAsRequestsAndFirstFiveDescribed()
    {
        var recorder = new LatencyRecorder();
        recorder.Record(TimeSpan.FromMilliseconds(3));
        for (var i = 1; i <= 7; i++)
        {
            recorder.RecordError(TimeSpan.FromMilliseconds(100 * i), $"failure {i}");
        }

        var summary = recorder.Summarize();

        Assert.Equal(8, summary.Requests);
        Assert.Equal(7, summary.Errors);
        Assert.Equal(["failure 1", "failure 2", "failure 3", "failure 4", "failure 5"], summary.FirstErrors);
        Assert.Equal(700, summary.Max, 9);
    }

    [Fact]
    public void Combine_PagesAndUploads_PercentilesOverEveryRequestAndBytesSummed()
    {
        var pages = new LatencyRecorder();
        var uploads = new LatencyRecorder();
        for (var ms = 1; ms <= 90; ms++)
        {
            pages.Record(TimeSpan.FromMilliseconds(ms));
        }

        for (var ms = 1_001; ms <= 1_010; ms++)
        {
            uploads.Record(TimeSpan.FromMilliseconds(ms), bytes: 1_000);
        }

        uploads.RecordError(TimeSpan.FromMilliseconds(5_000), "timed out");

        var overall = LatencyRecorder.Combine([pages, uploads]).Summarize();

        Assert.Equal(101, overall.Requests);
        Assert.Equal(1, overall.Errors);
        Assert.Equal(10_000, overall.Bytes);
        Assert.Equal(51, overall.P50, 9);
        Assert.Equal(1_006, overall.P95, 9);
        Assert.Equal(1_010, overall.P99, 9);
        Assert.Equal(5_000, overall.Max, 9);
        Assert.Equal(["timed out"], overall.FirstErrors);
    }
}
