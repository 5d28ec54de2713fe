using System.Net;

namespace ClvPortal.Tests.Web.Analyses.BadInput;

/// <summary>One purchase (or return, when negative) that a corpus file holds and the analysis must keep.</summary>
internal sealed record Sale(string Customer, DateOnly Date, double Amount);

/// <summary>What must become of a corpus file uploaded through the portal.</summary>
internal abstract record Outcome;

/// <summary>Refused by the upload endpoint with this status and a message holding every phrase; nothing is stored.</summary>
internal sealed record RefusedAtUpload(HttpStatusCode Status, params string[] Phrases) : Outcome;

/// <summary>
/// The connection drops mid-upload: the client's request fails, the app logs that the upload broke off (a
/// warning naming the file, not an error) and keeps nothing of it.
/// </summary>
internal sealed record BreaksOff : Outcome;

/// <summary>Accepted, then the analysis fails with the user's message (never the generic one) holding every phrase.</summary>
internal sealed record FailsWithMessage(params string[] Phrases) : Outcome;

/// <summary>
/// Accepted and analysed: exactly the customers of <paramref name="Kept"/> with their revenue and first and
/// last purchase days, and exactly these cleaning rules applied (rule id to rows; rules not named touched no row).
/// </summary>
internal sealed record SucceedsWith(IReadOnlyList<Sale> Kept, IReadOnlyDictionary<string, long> Rules) : Outcome
{
    /// <summary>Text the CSV export of the results must contain (e.g. a neutralised formula).</summary>
    public IReadOnlyList<string> ExportContains { get; init; } = [];

    /// <summary>Customers a purchase made: purchases are amounts of zero or more, returns are negative.</summary>
    public IReadOnlyList<ExpectedCustomer> Customers() =>
        Kept.GroupBy(s => s.Customer, StringComparer.Ordinal)
            .Where(g => g.Any(s => s.Amount >= 0))
            .Select(g => new ExpectedCustomer(
                g.Key,
                g.Where(s => s.Amount >= 0).Min(s => s.Date),
                g.Where(s => s.Amount >= 0).Max(s => s.Date),
                g.Sum(s => s.Amount)))
            .ToList();
}

internal sealed record ExpectedCustomer(string Id, DateOnly FirstPurchase, DateOnly LastPurchase, double Revenue);

/// <summary>
/// A hostile or broken file of the corpus: its name (with the extension the browser sends), its bytes
/// (opened afresh for each upload; large ones are generated as they are read, and the stream counts what was sent) and what must happen to it.
/// </summary>
internal sealed record BadInputFile(string Name, string What, Func<ChunkStream> Open, Outcome Expected)
{
    /// <summary>Settings sent with the file, as the upload page's fields.</summary>
    public IReadOnlyDictionary<string, string> Fields { get; init; } = new Dictionary<string, string>();

    /// <summary>When set, only this fraction of the multipart request body is sent: it ends mid-file, without its closing boundary.</summary>
    public double? BodyCutAt { get; init; }
}
