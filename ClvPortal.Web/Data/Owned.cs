using System.Linq.Expressions;
using MongoDB.Driver;

namespace ClvPortal.Web.Data;

/// <summary>
/// The filters that scope a read, update or delete to one owner's data: pages, exports and share links find an
/// upload, its results, its customers or its share links through these, so none can forget the owner (someone
/// else's upload must look exactly like a missing one). An optional <c>and</c> condition narrows further.
/// </summary>
public static class Owned
{
    /// <summary>All of the owner's uploads.</summary>
    public static FilterDefinition<UploadDocument> Uploads(string ownerId, Expression<Func<UploadDocument, bool>>? and = null) =>
        With(Builders<UploadDocument>.Filter.Eq(u => u.OwnerId, ownerId), and);

    /// <summary>One upload of the owner.</summary>
    public static FilterDefinition<UploadDocument> Upload(string ownerId, Guid uploadId, Expression<Func<UploadDocument, bool>>? and = null) =>
        With(Builders<UploadDocument>.Filter.Where(u => u.Id == uploadId && u.OwnerId == ownerId), and);

    /// <summary>The finished analysis of one upload of the owner (its id is the upload's).</summary>
    public static FilterDefinition<AnalysisResultDocument> Result(string ownerId, Guid uploadId) =>
        Builders<AnalysisResultDocument>.Filter.Where(r => r.Id == uploadId && r.OwnerId == ownerId);

    /// <summary>The customers of one upload of the owner.</summary>
    public static FilterDefinition<CustomerResultDocument> Customers(string ownerId, Guid uploadId, Expression<Func<CustomerResultDocument, bool>>? and = null) =>
        With(Builders<CustomerResultDocument>.Filter.Where(c => c.UploadId == uploadId && c.OwnerId == ownerId), and);

    /// <summary>The share links of one upload of the owner.</summary>
    public static FilterDefinition<ShareLinkDocument> ShareLinks(string ownerId, Guid uploadId, Expression<Func<ShareLinkDocument, bool>>? and = null) =>
        With(Builders<ShareLinkDocument>.Filter.Where(s => s.UploadId == uploadId && s.OwnerId == ownerId), and);

    /// <summary>The finished analyses of the owner (narrowed by <paramref name="and"/>, e.g. to some uploads).</summary>
    public static FilterDefinition<AnalysisResultDocument> Results(string ownerId, Expression<Func<AnalysisResultDocument, bool>> and) =>
        With(Builders<AnalysisResultDocument>.Filter.Eq(r => r.OwnerId, ownerId), and);

    /// <summary>All of the owner's businesses.</summary>
    public static FilterDefinition<BusinessDocument> Businesses(string ownerId, Expression<Func<BusinessDocument, bool>>? and = null) =>
        With(Builders<BusinessDocument>.Filter.Eq(b => b.OwnerId, ownerId), and);

    /// <summary>One business of the owner.</summary>
    public static FilterDefinition<BusinessDocument> Business(string ownerId, Guid businessId) =>
        Builders<BusinessDocument>.Filter.Where(b => b.Id == businessId && b.OwnerId == ownerId);

    /// <summary>The owner's track records (narrowed by <paramref name="and"/> to the analyses they score).</summary>
    public static FilterDefinition<TrackRecordDocument> TrackRecords(string ownerId, Expression<Func<TrackRecordDocument, bool>> and) =>
        With(Builders<TrackRecordDocument>.Filter.Eq(t => t.OwnerId, ownerId), and);

    private static FilterDefinition<T> With<T>(FilterDefinition<T> owned, Expression<Func<T, bool>>? and) =>
        and is null ? owned : owned & Builders<T>.Filter.Where(and);
}
