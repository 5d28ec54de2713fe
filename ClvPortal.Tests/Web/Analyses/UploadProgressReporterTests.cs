using ClvPortal.Core.Pipeline;
using ClvPortal.Web.Analyses;
using ClvPortal.Web.Data;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using MongoDB.Driver;

namespace ClvPortal.Tests.Web.Analyses;

[Trait("Category", "Integration")]
[Collection(AnalysesCollection.Name)]
public sealed class UploadProgressReporterTests : IAsyncLifetime
{
    private readonly PortalWebFactory _factory = new();
    private readonly ManualClock _clock = new();
    private PortalDb _db = null!;

    public async Task InitializeAsync()
    {
        // The app's own PortalDb, so documents are mapped as the app maps them (Guid representation, camelCase).
        _factory.Settings["Portal:Roles"] = "web";
        _db = _factory.Services.GetRequiredService<PortalDb>();
        await _db.Uploads.InsertOneAsync(new UploadDocument { Id = UploadId, OwnerId = "u", FileName = "f.csv", Status = UploadStatus.Running });
    }

    public async Task DisposeAsync() => await _factory.DisposeAsync();

    private static readonly Guid UploadId = Guid.NewGuid();

    [Fact]
    public async Task Report_ManyTimesWithinTheInterval_WritesOnceUntilTheIntervalPassesOrTheStageChanges()
    {
        var reporter = new UploadProgressReporter(_db, UploadId, TimeSpan.FromMilliseconds(500), _clock, NullLogger.Instance);

        reporter.Report(new PipelineProgress(PipelineStage.Reading, 10));
        await reporter.FlushAsync();
        for (var i = 11; i < 1000; i++)
        {
            reporter.Report(new PipelineProgress(PipelineStage.Reading, i / 10.0));
        }

        await reporter.FlushAsync();
        Assert.Equal(9.5, (await ReadAsync()).Percent);

        _clock.Advance(TimeSpan.FromMilliseconds(600));
        reporter.Report(new PipelineProgress(PipelineStage.Reading, 40));
        await reporter.FlushAsync();
        Assert.Equal(38, (await ReadAsync()).Percent);

        reporter.Report(new PipelineProgress(PipelineStage.Cleaning, 50));
        await reporter.FlushAsync();
        var upload = await ReadAsync();
        Assert.Equal(UploadProgressReporter.StageText(PipelineStage.Cleaning), upload.Stage);
        Assert.Equal(47.5, upload.Percent);
    }

    private Task<UploadDocument> ReadAsync() => _db.Uploads.Find(u => u.Id == UploadId).FirstAsync();

    private sealed class ManualClock : TimeProvider
    {
        private long _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _ticks;

        public void Advance(TimeSpan by) => _ticks += by.Ticks;
    }
}
