using MongoDB.Driver;
using MongoDB.Driver.GridFS;

namespace ClvPortal.Web.Data;

/// <summary>
/// The portal's MongoDB database with one typed property per collection. No repository on top:
/// an <see cref="IMongoCollection{TDocument}"/> already is one.
/// </summary>
public sealed class PortalDb(IMongoDatabase database)
{
    public IMongoDatabase Database { get; } = database;

    public IMongoCollection<UploadDocument> Uploads { get; } = database.GetCollection<UploadDocument>("uploads");

    public IMongoCollection<AnalysisResultDocument> AnalysisResults { get; } = database.GetCollection<AnalysisResultDocument>("analysisResults");

    public IMongoCollection<CustomerResultDocument> CustomerResults { get; } = database.GetCollection<CustomerResultDocument>("customerResults");

    public IMongoCollection<ShareLinkDocument> ShareLinks { get; } = database.GetCollection<ShareLinkDocument>("shareLinks");

    public IMongoCollection<BusinessDocument> Businesses { get; } = database.GetCollection<BusinessDocument>("businesses");

    public IMongoCollection<TrackRecordDocument> TrackRecords { get; } = database.GetCollection<TrackRecordDocument>("trackRecords");

    /// <summary>Uploaded files, streamed in and out in chunks (bucket <c>uploadFiles</c>).</summary>
    public GridFSBucket Files { get; } = new(database, new GridFSBucketOptions { BucketName = "uploadFiles" });

    /// <summary>Creates the indexes every query relies on. Idempotent; run at start-up by every process.</summary>
    public async Task EnsureIndexesAsync(CancellationToken cancellationToken = default)
    {
        await Uploads.Indexes.CreateManyAsync(
            [
                new(Builders<UploadDocument>.IndexKeys.Ascending(u => u.OwnerId).Descending(u => u.CreatedAt)),
                // The workers' once-a-minute looks for queued uploads without a job (StrandedUploadSweeper) and for
                // unfinished uploads whose job was lost (LostAnalysisSweeper) read only queued and running ones.
                new(Builders<UploadDocument>.IndexKeys.Ascending(u => u.Status).Ascending(u => u.CreatedAt)),
            ],
            cancellationToken);

        var customer = Builders<CustomerResultDocument>.IndexKeys;
        await CustomerResults.Indexes.CreateManyAsync(
            [
                new(customer.Ascending(c => c.UploadId).Ascending(c => c.CustomerId), new CreateIndexOptions { Unique = true }),
                // The customer table's search also matches the start of the email.
                new(customer.Ascending(c => c.UploadId).Ascending(c => c.Email)),
                new(customer.Ascending(c => c.UploadId).Descending(c => c.HeadlineClv)),
                new(customer.Ascending(c => c.UploadId).Descending(c => c.ProbabilityAlive)),
                new(customer.Ascending(c => c.UploadId).Descending(c => c.TotalRevenue)),
            ],
            cancellationToken);

        await ShareLinks.Indexes.CreateManyAsync(
            [
                new(Builders<ShareLinkDocument>.IndexKeys.Ascending(s => s.TokenHash), new CreateIndexOptions { Unique = true }),
                new(Builders<ShareLinkDocument>.IndexKeys.Ascending(s => s.UploadId)),
            ],
            cancellationToken);

        // One business per owner and name (ignoring case): two web processes creating "Acme" at once get one.
        await Businesses.Indexes.CreateManyAsync(
            [new(Builders<BusinessDocument>.IndexKeys.Ascending(b => b.OwnerId).Ascending(b => b.NameKey), new CreateIndexOptions { Unique = true })],
            cancellationToken);
        await Uploads.Indexes.CreateManyAsync(
            [new(Builders<UploadDocument>.IndexKeys.Ascending(u => u.OwnerId).Ascending(u => u.BusinessId))],
            cancellationToken);

        var record = Builders<TrackRecordDocument>.IndexKeys;
        await TrackRecords.Indexes.CreateManyAsync(
            [
                new(record.Ascending(t => t.LaterUploadId)),
                // Deleting an earlier analysis drops the records that scored it.
                new(record.Ascending(t => t.EarlierUploadId)),
            ],
            cancellationToken);
    }
}
