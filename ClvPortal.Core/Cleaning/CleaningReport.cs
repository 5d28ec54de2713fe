namespace ClvPortal.Core.Cleaning;

/// <summary>One cleaning rule and what it changed.</summary>
/// <param name="Rule">Stable id ("missing-customer-id", "returns", ...).</param>
/// <param name="Description">What the rule does, for a business user.</param>
/// <param name="Action">What happened to the rows: "dropped", "netted", "kept".</param>
/// <param name="ExampleLines">A few line numbers of affected rows, so the user can look them up.</param>
public sealed record CleaningRuleResult(string Rule, string Description, string Action, long Rows, IReadOnlyList<long> ExampleLines);

/// <summary>Everything cleaning did: nothing is dropped without being counted here.</summary>
public sealed record CleaningReport(long RowsRead, long RowsKept, IReadOnlyList<CleaningRuleResult> Rules);
