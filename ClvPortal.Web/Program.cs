using ClvPortal.Web.Cli;
using ClvPortal.Web.Pages;
using ClvPortal.Web.Setup;

// Command-line tools (analyze, train-model, grant-admin, revoke-admin) run without the web host.
if (CommandLine.IsCommand(args))
{
    CommandLine.UseInvokingDirectory();
    return await CommandLine.RunAsync(args, Console.Out, Console.Error);
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

// Security headers (CSP) and the HTTPS check ahead of everything else, hardened cookies, and the rate limit on the account forms.
builder.AddPortalSecurity();

builder.Services.AddRazorPages();

var app = builder.Build();

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

app.MapRazorPages();
app.MapPortalAnalysis();
app.MapPortalHealth();
app.MapPortalJobsDashboard();

app.Run();
return 0;

/// <summary>Entry point, public so integration tests can host the app with WebApplicationFactory.</summary>
public partial class Program;
