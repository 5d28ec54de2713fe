using System.Text.RegularExpressions;
using ClvPortal.Web.Data;
using MongoDB.Bson;
using MongoDB.Driver;

namespace ClvPortal.Web.Results;

/// <summary>The columns the customer table sorts by; each has an (uploadId, key) index.</summary>
public enum CustomerSort
{
    Clv,
    Alive,
    Revenue,
}

/// <summary>What the customer table was asked for: a sort, a direction, a customer id prefix and a 1-based page.</summary>
public sealed record CustomerTableRequest(CustomerSort Sort, bool Descending, string? Search, int Page);

/// <summary>One page of the customer table. <paramref name="Total"/> counts every matching customer.</summary>
public sealed record CustomerTablePage(IReadOnlyList<CustomerResultDocument> Rows, long Total, int Page, int PageSize)
{
    public int Pages => (int)Math.Max(1, (Total + PageSize - 1) / PageSize);
}

/// <summary>
/// Pages, sorts and searches one upload's customers. Every query runs through an index: the sort keys
/// through (uploadId, key), the search through (uploadId, customerId) as an anchored prefix.
/// </summary>
public static class CustomerTable
{
    /// <summary>Longest search accepted: customer ids are short, and the prefix becomes index bounds.</summary>
    public const int MaxSearchLength = 100;

    public static async Task<CustomerTablePage> QueryAsync(
        PortalDb db, Guid uploadId, string ownerId, long customersInUpload, CustomerTableRequest request, int pageSize, CancellationToken cancellationToken)
    {
        var filter = Filter(uploadId, ownerId, request.Search);
        var search = NormalizeSearch(request.Search);

        // Without a search the total is the precomputed customer count: counting 100k index keys per page view is waste.
        var total = search is null
            ? customersInUpload
            : await db.CustomerResults.CountDocumentsAsync(filter, cancellationToken: cancellationToken);

        var lastPage = (int)Math.Max(1, (total + pageSize - 1) / pageSize);
        var page = Math.Clamp(request.Page, 1, lastPage);
        var rows = await db.CustomerResults.Find(filter)
            .Sort(Sort(request.Sort, request.Descending))
            .Skip((page - 1) * pageSize)
            .Limit(pageSize)
            .ToListAsync(cancellationToken);
        return new CustomerTablePage(rows, total, page, pageSize);
    }

    /// <summary>
    /// Customers of one upload and owner, optionally whose id starts with <paramref name="search"/>. The prefix is
    /// regex-escaped (a user's "(" or ".*" is literal) and anchored, so MongoDB turns it into index bounds. A
    /// case-insensitive regex cannot use the index, so the prefix is tried as typed, upper-case and lower-case
    /// instead: that finds "c123" for "C123" and the other way round without scanning every customer.
    /// </summary>
    public static FilterDefinition<CustomerResultDocument> Filter(Guid uploadId, string ownerId, string? search)
    {
        var f = Builders<CustomerResultDocument>.Filter;
        var scope = f.Eq(c => c.UploadId, uploadId) & f.Eq(c => c.OwnerId, ownerId);
        var prefix = NormalizeSearch(search);
        if (prefix is null)
        {
            return scope;
        }

        var variants = new[] { prefix, prefix.ToUpperInvariant(), prefix.ToLowerInvariant() }.Distinct(StringComparer.Ordinal);
        var byId = f.Or(variants.Select(v => f.Regex(c => c.CustomerId, new BsonRegularExpression("^" + Regex.Escape(v)))));
        return scope & byId;
    }

    public static SortDefinition<CustomerResultDocument> Sort(CustomerSort sort, bool descending)
    {
        var s = Builders<CustomerResultDocument>.Sort;
        // One key only, matching its index exactly; the index walks backwards for ascending order.
        return (sort, descending) switch
        {
            (CustomerSort.Alive, true) => s.Descending(c => c.ProbabilityAlive),
            (CustomerSort.Alive, false) => s.Ascending(c => c.ProbabilityAlive),
            (CustomerSort.Revenue, true) => s.Descending(c => c.TotalRevenue),
            (CustomerSort.Revenue, false) => s.Ascending(c => c.TotalRevenue),
            (_, true) => s.Descending(c => c.HeadlineClv),
            (_, false) => s.Ascending(c => c.HeadlineClv),
        };
    }

    private static string? NormalizeSearch(string? search)
    {
        var trimmed = search?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            return null;
        }

        return trimmed.Length > MaxSearchLength ? trimmed[..MaxSearchLength] : trimmed;
    }
}
