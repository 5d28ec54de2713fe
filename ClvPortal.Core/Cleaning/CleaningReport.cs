namespace ClvPortal.Core.Cleaning;

/// <summary>One cleaning rule and what it changed.</summary>
/// <param name="Rule">Stable id ("missing-customer-id", "returns", ...).</param>
/// <param name="Description">What the rule does, for a business user.</param>
/// <param name="Action">What happened to the rows: "dropped", "netted", "kept".</param>
/// <param name="ExampleLines">A few line numbers of affected rows, so the user can look them up.</param>
public sealed record CleaningRuleResult(string Rule, string Description, string Action, long Rows, IReadOnlyList<long> ExampleLines);

/// <summary>Everything cleaning did: nothing is dropped without being counted here.</summary>
public sealed record CleaningReport(long RowsRead, long RowsKept, IReadOnlyList<CleaningRuleResult> Rules)
{
    /// <summary>The rule that counts a store export's further line items, merged into their (kept) order.</summary>
    public const string LineItemsRule = "order-line-items";

    /// <summary>The transactions analysed: the rows kept, each order once (its further line items are rows, not orders).</summary>
    public long TransactionsKept => RowsKept - (Rules.FirstOrDefault(r => r.Rule == LineItemsRule)?.Rows ?? 0);
}
