using System.Text.RegularExpressions;
using ClvPortal.Core.Models;
using ClvPortal.Web.Data;
using MongoDB.Bson;
using MongoDB.Driver;

namespace ClvPortal.Web.Results;

/// <summary>The named customer lists a shop acts on (definitions in <see cref="CustomerSegments"/>).</summary>
public enum CustomerList
{
    /// <summary>The top 5% by predicted CLV.</summary>
    Vip,

    /// <summary>Valuable customers at high churn risk.</summary>
    WinBack,
}

/// <summary>
/// Which customers a view of the customer table holds, and so which its export holds: a customer id prefix, a value
/// tier, a churn level, a named list, or any mix of them. One definition of the URL values (<c>q</c>, <c>tier</c>,
/// <c>churn</c>, <c>list</c>) for the table, its links and the export.
/// </summary>
public sealed record CustomerFilter(string? Search = null, ValueTier? Tier = null, ChurnLevel? Churn = null, CustomerList? List = null)
{
    /// <summary>Longest search accepted: customer ids are short, and the prefix becomes index bounds.</summary>
    public const int MaxSearchLength = 100;

    public static readonly CustomerFilter All = new();

    /// <summary>URL value and label of each tier, best first.</summary>
    public static readonly IReadOnlyList<(ValueTier Tier, string Value)> TierValues =
    [
        (ValueTier.Top1, "top1"), (ValueTier.Top1To5, "top1-5"), (ValueTier.Top5To10, "top5-10"),
        (ValueTier.Top10To25, "top10-25"), (ValueTier.Top25To50, "top25-50"), (ValueTier.Bottom50, "bottom50"),
    ];

    public static readonly IReadOnlyList<(ChurnLevel Level, string Value, string Label)> ChurnValues =
    [
        (ChurnLevel.High, "high", "High churn risk"), (ChurnLevel.Medium, "medium", "Medium churn risk"), (ChurnLevel.Low, "low", "Low churn risk"),
    ];

    public static readonly IReadOnlyList<(CustomerList List, string Value, string Label)> ListValues =
    [
        (CustomerList.Vip, "vip", "VIPs"), (CustomerList.WinBack, "win-back", "Win-back list"),
    ];

    /// <summary>The search as applied: trimmed, at most <see cref="MaxSearchLength"/> characters, null when empty.</summary>
    public string? Prefix
    {
        get
        {
            var trimmed = Search?.Trim();
            return string.IsNullOrEmpty(trimmed) ? null : trimmed.Length > MaxSearchLength ? trimmed[..MaxSearchLength] : trimmed;
        }
    }

    public bool IsEmpty => Prefix is null && Tier is null && Churn is null && List is null;

    /// <summary>
    /// The filter a link asked for. A value the portal does not know (an edited or truncated link) is left out and
    /// named in <paramref name="problem"/>, so the page can say what it shows instead of failing.
    /// </summary>
    public static CustomerFilter Parse(string? search, string? tier, string? churn, string? list, out string? problem)
    {
        var problems = new List<string>();
        T? Find<T>(string? text, IEnumerable<(T Item, string Value)> values, string what, string choices)
            where T : struct
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                return null;
            }

            foreach (var (item, value) in values)
            {
                if (string.Equals(value, text.Trim(), StringComparison.OrdinalIgnoreCase))
                {
                    return item;
                }
            }

            problems.Add($"there is no {what} \"{(text.Length > 40 ? text[..40] + "…" : text)}\" (choose {choices})");
            return null;
        }

        var filter = new CustomerFilter(
            search,
            Find(tier, TierValues, "value tier", string.Join(", ", TierValues.Select(t => t.Value))),
            Find(churn, ChurnValues.Select(c => (c.Level, c.Value)), "churn level", "high, medium or low"),
            Find(list, ListValues.Select(l => (l.List, l.Value)), "customer list", "vip or win-back"));
        problem = problems.Count == 0 ? null : $"The link asked for customers the portal cannot pick: {string.Join("; ", problems)}. That part of the filter is left out.";
        return filter;
    }

    public static string TierValue(ValueTier tier) => TierValues.First(t => t.Tier == tier).Value;

    public static string ChurnValue(ChurnLevel level) => ChurnValues.First(c => c.Level == level).Value;

    public static string ListValue(CustomerList list) => ListValues.First(l => l.List == list).Value;

    /// <summary>The filter as URL values (only those set), for links and the export.</summary>
    public Dictionary<string, string> RouteValues()
    {
        var route = new Dictionary<string, string>();
        if (Prefix is { } prefix)
        {
            route["q"] = prefix;
        }

        if (Tier is { } tier)
        {
            route["tier"] = TierValue(tier);
        }

        if (Churn is { } churn)
        {
            route["churn"] = ChurnValue(churn);
        }

        if (List is { } list)
        {
            route["list"] = ListValue(list);
        }

        return route;
    }

    /// <summary>
    /// A part of the download's file name naming the filter ("win-back", "tier-top1-churn-high"), from the portal's
    /// own words only: a search is "search", never the text typed. Empty for all customers.
    /// </summary>
    public string Slug => string.Join('-', new[]
    {
        List is { } list ? ListValue(list) : null,
        Tier is { } tier ? "tier-" + TierValue(tier) : null,
        Churn is { } churn ? "churn-" + ChurnValue(churn) : null,
        Prefix is null ? null : "search",
    }.Where(p => p is not null));

    /// <summary>What the view holds, in words: "Win-back list, high churn risk, customer ids or emails starting with "C1"".</summary>
    public string Describe()
    {
        var parts = new List<string>();
        if (List is { } list)
        {
            parts.Add(ListValues.First(l => l.List == list).Label);
        }

        if (Tier is { } tier)
        {
            parts.Add("tier " + ValueTiers.Label(tier));
        }

        if (Churn is { } churn)
        {
            parts.Add(ChurnValues.First(c => c.Level == churn).Label.ToLowerInvariant());
        }

        if (Prefix is { } prefix)
        {
            parts.Add($"customer ids or emails starting with \"{prefix}\"");
        }

        return parts.Count == 0 ? "All customers" : string.Join(", ", parts);
    }

    /// <summary>
    /// Customers of one upload and owner that pass the filter. The search matches the start of the customer id or of
    /// the email (a marketer looks a customer up by either). The prefix is regex-escaped (a user's "(" or ".*" is
    /// literal) and anchored, so MongoDB turns it into index bounds on (upload, id) and (upload, email). A
    /// case-insensitive regex cannot use an index, so the prefix is tried as typed, upper-case and lower-case instead:
    /// that finds "c123" for "C123" and the other way round without scanning every customer. Tier, churn and list are
    /// equalities beside the upload's index.
    /// </summary>
    public FilterDefinition<CustomerResultDocument> ToMongo(Guid uploadId, string ownerId)
    {
        var f = Builders<CustomerResultDocument>.Filter;
        var filter = Owned.Customers(ownerId, uploadId);
        if (Prefix is { } prefix)
        {
            var patterns = new[] { prefix, prefix.ToUpperInvariant(), prefix.ToLowerInvariant() }
                .Distinct(StringComparer.Ordinal)
                .Select(v => new BsonRegularExpression("^" + Regex.Escape(v)))
                .ToList();
            filter &= f.Or(patterns.Select(p => f.Regex(c => c.CustomerId, p)).Concat(patterns.Select(p => f.Regex(c => c.Email, p))));
        }

        if (Tier is { } tier)
        {
            filter &= f.Eq(c => c.Tier, tier);
        }

        if (Churn is { } churn)
        {
            filter &= f.Eq(c => c.ChurnLevel, churn);
        }

        if (List == CustomerList.Vip)
        {
            filter &= f.In(c => c.Tier, Enum.GetValues<ValueTier>().Where(CustomerSegments.IsVip));
        }
        else if (List == CustomerList.WinBack)
        {
            filter &= f.Eq(c => c.WinBack, true);
        }

        return filter;
    }
}

/// <summary>The export buttons' model: whose customers, how many the view holds (for the XLSX cap) and which view.</summary>
public sealed record ExportButtonsModel(Guid UploadId, long Customers, CustomerFilter Filter);
