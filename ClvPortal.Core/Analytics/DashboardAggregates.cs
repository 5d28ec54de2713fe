namespace ClvPortal.Core.Analytics;

/// <summary>One calendar month of the dashboard.</summary>
public sealed record MonthlyPoint(int Year, int Month, double Revenue, int Orders, double AverageOrderValue, int NewCustomers, int ReturningCustomers);

public sealed record TopCustomer(string CustomerId, double Revenue, int Orders);

public sealed record CountryRevenue(string Country, double Revenue, int Customers);

/// <summary>Everything the results dashboard draws that does not depend on the models, computed once per upload.</summary>
public sealed record DashboardAggregates(
    IReadOnlyList<MonthlyPoint> Monthly,
    IReadOnlyList<TopCustomer> TopCustomers,
    IReadOnlyList<CountryRevenue> Countries)
{
    /// <summary>The days the data covers; null when there were none (and in results stored before it was kept).</summary>
    public DataPeriod? Period { get; init; }

    /// <summary>Cumulative revenue per customer by first-order cohort, with its predicted continuation; null in results stored before cohorts were computed.</summary>
    public CohortTable? Cohorts { get; init; }
}
