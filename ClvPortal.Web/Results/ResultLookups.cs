using ClvPortal.Web.Data;
using MongoDB.Bson;
using MongoDB.Driver;

namespace ClvPortal.Web.Results;

/// <summary>
/// Small owner-scoped reads that fetch one field instead of a whole document. Projections include fields only
/// (keeping _id): that is what every MongoDB-compatible store accepts.
/// </summary>
public static class ResultLookups
{
    /// <summary>The customer count of the owner's finished analysis, or null when there is none.</summary>
    public static async Task<int?> CustomerCountAsync(PortalDb db, Guid uploadId, string ownerId, CancellationToken cancellationToken)
    {
        var doc = await db.AnalysisResults.Find(Owned.Result(ownerId, uploadId))
            .Project<BsonDocument>(Builders<AnalysisResultDocument>.Projection.Include(r => r.Customers))
            .FirstOrDefaultAsync(cancellationToken);
        return doc is null ? null : doc.GetValue("customers", 0).ToInt32();
    }

    /// <summary>The name the owner's file was uploaded under, for display.</summary>
    public static async Task<string> FileNameAsync(PortalDb db, Guid uploadId, string ownerId, CancellationToken cancellationToken) =>
        (await FileNameAndCurrencyAsync(db, uploadId, ownerId, cancellationToken)).FileName;

    /// <summary>The file's name, for display, and the currency of its amounts (null when it named none).</summary>
    public static async Task<(string FileName, string? Currency)> FileNameAndCurrencyAsync(PortalDb db, Guid uploadId, string ownerId, CancellationToken cancellationToken)
    {
        var doc = await db.Uploads.Find(Owned.Upload(ownerId, uploadId))
            .Project<BsonDocument>(Builders<UploadDocument>.Projection.Include(u => u.FileName).Include(u => u.Currency))
            .FirstOrDefaultAsync(cancellationToken);
        return (
            doc?.GetValue("fileName", BsonNull.Value) is { IsString: true } name ? name.AsString : "Uploaded file",
            doc?.GetValue("currency", BsonNull.Value) is { IsString: true } currency ? currency.AsString : null);
    }

    /// <summary>
    /// What the customer table needs of the owner's finished analysis besides its customers: their count, which contact
    /// columns the file had, the named lists' sizes and whether tiers can be trusted. Null when there is none.
    /// </summary>
    public static async Task<CustomerTableInfo?> TableInfoAsync(PortalDb db, Guid uploadId, string ownerId, CancellationToken cancellationToken)
    {
        var projection = Builders<AnalysisResultDocument>.Projection
            .Include(r => r.Customers).Include(r => r.File.Mapping).Include(r => r.VipCustomers).Include(r => r.WinBackCustomers).Include(r => r.ChurnRiskCustomers).Include(r => r.TiersReliable);
        var doc = await db.AnalysisResults.Find(Owned.Result(ownerId, uploadId))
            .Project<BsonDocument>(projection)
            .FirstOrDefaultAsync(cancellationToken);
        if (doc is null)
        {
            return null;
        }

        var mapping = doc.GetValue("file", new BsonDocument()).AsBsonDocument.GetValue("mapping", new BsonDocument()).AsBsonDocument;
        bool Has(string field) => mapping.GetValue(field, BsonNull.Value).IsString;
        return new CustomerTableInfo(
            doc.GetValue("customers", 0).ToInt32(), Has("email"), Has("name"), Has("country"),
            doc.GetValue("vipCustomers", 0).ToInt32(), doc.GetValue("winBackCustomers", 0).ToInt32(), doc.GetValue("churnRiskCustomers", 0).ToInt32(),
            doc.GetValue("tiersReliable", true).ToBoolean());
    }
}

/// <summary>An analysis as the customer table sees it (<see cref="ResultLookups.TableInfoAsync"/>).</summary>
public sealed record CustomerTableInfo(int Customers, bool HasEmail, bool HasName, bool HasCountry, int VipCustomers, int WinBackCustomers, int HighChurnCustomers, bool TiersReliable);
