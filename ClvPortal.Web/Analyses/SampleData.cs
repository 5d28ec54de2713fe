using System.Security.Claims;
using System.Security.Cryptography;
using ClvPortal.Core.Synthetic;
using ClvPortal.Web.Businesses;
using ClvPortal.Web.Data;
using Hangfire;
using MongoDB.Bson;
using MongoDB.Driver;
using MongoDB.Driver.GridFS;

namespace ClvPortal.Web.Analyses;

/// <summary>
/// "Try it with sample data": an analysis of a generated shop (the seeded <see cref="TransactionGenerator"/>, the
/// layout of UCI Online Retail with its guests, cancellations and returns) for a new user, in one click. The file is
/// stored and analysed like any upload, so deleting it, sharing it and its results work the same; it is marked
/// <see cref="UploadDocument.IsSample"/> so nobody takes its customers for their own.
/// </summary>
public static class SampleData
{
    public const string FileName = "sample-shop-orders.csv";

    /// <summary>
    /// Two years of a shop with 2,000 customers in 60,000 invoice lines: enough for the backtest and every chart,
    /// small enough (4 MB) to be generated per click and analysed in seconds. Same seed, same file for everyone.
    /// </summary>
    public static GeneratorOptions Options { get; } = new() { Rows = 60_000, Customers = 2_000, Seed = 2024 };

    /// <summary>
    /// The signed-in user's sample analysis that has not failed, or null. One is enough: each click would otherwise
    /// store another 4 MB file and queue another analysis, so repeated clicks (or a script) could fill the storage
    /// and the job queue.
    /// </summary>
    public static async Task<UploadDocument?> FindAsync(PortalDb db, ClaimsPrincipal user, CancellationToken ct)
    {
        return await db.Uploads.Find(Owned.Uploads(Owner.Id(user), u => u.IsSample && u.Status != UploadStatus.Failed)).FirstOrDefaultAsync(ct);
    }

    /// <summary>
    /// Stores a freshly generated sample file for the signed-in user and queues its analysis; returns the upload, or
    /// null when another sample of the user's got there first (two clicks at the same moment both pass
    /// <see cref="FindAsync"/>: each stores its sample, then only the earliest goes on and the other removes itself).
    /// </summary>
    public static async Task<UploadDocument?> CreateAsync(PortalDb db, IBackgroundJobClient jobs, ClaimsPrincipal user, TimeProvider clock, CancellationToken ct)
    {
        var ownerId = Owner.Id(user);
        using var csv = new MemoryStream();
        TransactionGenerator.WriteCsv(csv, Options);
        var bytes = csv.ToArray();

        var upload = new UploadDocument
        {
            Id = Guid.NewGuid(),
            OwnerId = ownerId,
            OwnerEmail = Owner.Email(user),
            FileName = FileName,
            SizeBytes = bytes.Length,
            Sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes)),
            IsSample = true,
            Status = UploadStatus.Queued,
            Stage = "Queued",
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        upload.BusinessId = (await BusinessDirectory.FindOrCreateAsync(db, ownerId, BusinessNames.Sample, upload.CreatedAt, ct)).Id;
        upload.GridFsFileId = await db.Files.UploadFromBytesAsync(
            FileName,
            bytes,
            new GridFSUploadOptions
            {
                Metadata = new BsonDocument { { "uploadId", new BsonBinaryData(upload.Id, GuidRepresentation.Standard) }, { "ownerId", ownerId } },
            },
            ct);
        await db.Uploads.InsertOneAsync(upload, cancellationToken: CancellationToken.None);

        // Every sample of the user's that has not failed, earliest first: all who look see the same order.
        var first = await db.Uploads.Find(Owned.Uploads(ownerId, u => u.IsSample && u.Status != UploadStatus.Failed))
            .SortBy(u => u.CreatedAt).ThenBy(u => u.Id)
            .Project(u => u.Id)
            .FirstAsync(CancellationToken.None);
        if (first != upload.Id)
        {
            await db.Uploads.DeleteOneAsync(Owned.Upload(ownerId, upload.Id), CancellationToken.None);
            await db.Files.DeleteAsync(upload.GridFsFileId, CancellationToken.None);
            return null;
        }

        await AnalysisQueue.EnqueueAsync(db, jobs, upload);
        return upload;
    }
}
