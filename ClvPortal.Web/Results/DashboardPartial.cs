namespace ClvPortal.Web.Results;

/// <summary>The dashboard partial's model: a shared view hides links into the owner's account (customer pages).</summary>
public sealed record DashboardPartial(Dashboard Dashboard, bool IsShared);
