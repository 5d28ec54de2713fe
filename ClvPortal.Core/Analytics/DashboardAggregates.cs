namespace ClvPortal.Core.Analytics;

/// <summary>One calendar month of the dashboard.</summary>
public sealed record MonthlyPoint(int Year, int Month, double Revenue, int Orders, double AverageOrderValue, int NewCustomers, int ReturningCustomers);

public sealed record TopCustomer(string CustomerId, double Revenue, int Orders);

public sealed record CountryRevenue(string Country, double Revenue, int Customers);

/// <summary>Everything the results dashboard draws that does not depend on the models, computed once per upload.</summary>
public sealed record DashboardAggregates(
    IReadOnlyList<MonthlyPoint> Monthly,
    IReadOnlyList<TopCustomer> TopCustomers,
    IReadOnlyList<CountryRevenue> Countries);
