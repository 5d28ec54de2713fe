using ClvPortal.Web.Data;
using MongoDB.Driver;

namespace ClvPortal.Web.Results;

/// <summary>The columns the customer table sorts by; each has an (uploadId, key) index.</summary>
public enum CustomerSort
{
    Clv,
    Alive,
    Revenue,
}

/// <summary>What the customer table was asked for: a sort, a direction, which customers and a 1-based page.</summary>
public sealed record CustomerTableRequest(CustomerSort Sort, bool Descending, CustomerFilter Filter, int Page);

/// <summary>One page of the customer table. <paramref name="Total"/> counts every matching customer.</summary>
public sealed record CustomerTablePage(IReadOnlyList<CustomerResultDocument> Rows, long Total, int Page, int PageSize)
{
    public int Pages => (int)Math.Max(1, (Total + PageSize - 1) / PageSize);
}

/// <summary>
/// Pages, sorts and filters one upload's customers. Every query runs through an index: the sort keys
/// through (uploadId, key), the search through (uploadId, customerId) as an anchored prefix; tier, churn
/// and list filters are checked beside the sort key's index walk.
/// </summary>
public static class CustomerTable
{
    /// <summary>Longest search accepted: customer ids are short, and the prefix becomes index bounds.</summary>
    public const int MaxSearchLength = CustomerFilter.MaxSearchLength;

    public static async Task<CustomerTablePage> QueryAsync(
        PortalDb db, Guid uploadId, string ownerId, long customersInUpload, CustomerTableRequest request, int pageSize, CancellationToken cancellationToken)
    {
        var filter = request.Filter.ToMongo(uploadId, ownerId);

        // Without a filter the total is the precomputed customer count: counting 100k index keys per page view is waste.
        var total = request.Filter.IsEmpty
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
}
