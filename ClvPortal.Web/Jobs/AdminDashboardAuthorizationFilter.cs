using ClvPortal.Web.Identity;
using Hangfire.Dashboard;

namespace ClvPortal.Web.Jobs;

/// <summary>
/// Lets only admins into the Hangfire dashboard. Anonymous visitors never get here (the endpoint
/// requires a signed-in user, so they are sent to the login page); for anyone else who is not an
/// admin, Hangfire answers 403.
/// </summary>
public sealed class AdminDashboardAuthorizationFilter : IDashboardAuthorizationFilter
{
    public bool Authorize(DashboardContext context) => context.GetHttpContext().User.IsInRole(PortalRole.Admin);
}
