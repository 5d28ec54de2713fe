using ClvPortal.Web.Cli;
using ClvPortal.Web.Pages;
using ClvPortal.Web.Security;
using ClvPortal.Web.Setup;

// Command-line tools (analyze, train-model, grant-admin, revoke-admin) run without the web host.
if (CommandLine.IsCommand(args))
{
    CommandLine.UseInvokingDirectory();
    return await CommandLine.RunAsync(args, Console.Out, Console.Error);
}

if (CommandLine.IsUnknownCommand(args))
{
    await Console.Error.WriteLineAsync(CommandLine.UnknownCommand(args[0]));
    return 2;
}

var builder = WebApplication.CreateBuilder(args);

// MongoDB: one client and one database for app data, Identity and Hangfire (ConnectionStrings:Mongo).
builder.AddPortalData();

// Sign-up, log-in and roles, with users and roles stored in MongoDB.
builder.AddPortalIdentity();

// Background jobs on Hangfire.Mongo; Portal:Roles decides whether this process serves web, works jobs, or both.
builder.AddPortalJobs();

// Uploads, analysis jobs, results, exports and share links.
builder.AddPortalAnalysis();

// Result and failure emails over SMTP.
builder.AddPortalEmail();

// Hardened cookies, forwarded headers from trusted proxies, and the rate limit on the account forms.
builder.AddPortalSecurity();

builder.Services.AddRazorPages();

var app = builder.Build();

// First, so everything after sees the visitor's address and scheme (not the proxy's), every answer (static files,
// error pages, 429s) carries the CSP and its friends, and plain HTTP is refused before a Secure cookie is needed.
app.UseForwardedHeaders();
app.UseSecurityHeaders();
app.UseHttpsOnly();

if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/Error");
    app.UseHsts();
}

// A browser that gets an empty 404, 403, ... sees a page saying what happened and what to do; JSON
// callers (status.js, the upload script) and exports keep the bare status.
app.UseWhen(ErrorPages.WantsHtml, branch => branch.UseStatusCodePagesWithReExecute("/Error", "?code={0}"));

app.UseStaticFiles();
app.UseRouting();
// After routing: the account forms' rate limit goes by the page a request reaches, however its path is spelled.
app.UseRateLimiter();
app.UseAuthentication();
app.UseAuthorization();
// /hangfire answers 503 until MongoDB has answered once (before that the dashboard has no storage to show).
app.UseJobsDashboardStorageCheck();

app.MapRazorPages();
app.MapPortalAnalysis();
app.MapPortalHealth();
app.MapPortalJobsDashboard();

app.Run();
return 0;

/// <summary>Entry point, public so integration tests can host the app with WebApplicationFactory.</summary>
public partial class Program;
