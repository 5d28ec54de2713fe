using ClvPortal.Core.Analytics;

namespace ClvPortal.Web.Data;

/// <summary>
/// A named data set of one owner (collection <c>businesses</c>): the analyses of the same shop over time, so a newer
/// file can check what an earlier analysis predicted. Names are unique per owner, ignoring case.
/// </summary>
public sealed class BusinessDocument
{
    public Guid Id { get; set; }

    public required string OwnerId { get; set; }

    /// <summary>The name as the owner typed it, trimmed.</summary>
    public required string Name { get; set; }

    /// <summary>The name compared ignoring case and runs of spaces (<see cref="Businesses.BusinessNames.Key"/>); unique per owner.</summary>
    public required string NameKey { get; set; }

    public DateTime CreatedAt { get; set; }
}

/// <summary>
/// An earlier analysis's predictions scored against a later analysis of the same business (collection
/// <c>trackRecords</c>, one per later and earlier upload). Written by the later analysis's job; removed with either.
/// </summary>
public sealed class TrackRecordDocument
{
    /// <summary><see cref="KeyOf"/> the later and earlier upload: a re-run of the later analysis replaces its records.</summary>
    public required string Id { get; set; }

    public required string OwnerId { get; set; }

    public Guid BusinessId { get; set; }

    /// <summary>The analysis whose file shows what happened.</summary>
    public Guid LaterUploadId { get; set; }

    /// <summary>The analysis whose predictions are scored.</summary>
    public Guid EarlierUploadId { get; set; }

    public required TrackRecord Record { get; set; }

    public DateTime ScoredAt { get; set; }

    public static string KeyOf(Guid laterUploadId, Guid earlierUploadId) => $"{laterUploadId:N}-{earlierUploadId:N}";
}
