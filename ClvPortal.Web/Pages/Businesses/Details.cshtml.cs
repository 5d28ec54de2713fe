using System.ComponentModel.DataAnnotations;
using ClvPortal.Web.Analyses;
using ClvPortal.Web.Businesses;
using ClvPortal.Web.Data;
using ClvPortal.Web.Results;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using MongoDB.Driver;

namespace ClvPortal.Web.Pages.Businesses;

/// <summary>One business: its analyses in time order, the trend of their predictions and how they fared; rename and delete.</summary>
[Authorize]
public sealed class DetailsModel(PortalDb db, TimeProvider clock) : PageModel
{
    public BusinessHistory History { get; private set; } = null!;

    [BindProperty]
    public RenameInput Input { get; set; } = new();

    [TempData]
    public string? Message { get; set; }

    /// <summary>Why a rename or delete was refused, in words the owner can act on.</summary>
    public string? Problem { get; private set; }

    public sealed class RenameInput
    {
        [Display(Name = "Name")]
        public string? Name { get; set; }
    }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        await BusinessDirectory.AdoptAsync(db, Owner.Id(User), clock.GetUtcNow().UtcDateTime, ct);
        return await ShowAsync(id, ct);
    }

    /// <summary><c>POST /businesses/{id}?handler=Rename</c>: a new name, unique among the owner's businesses (ignoring case).</summary>
    public async Task<IActionResult> OnPostRenameAsync(Guid id, CancellationToken ct)
    {
        var ownerId = Owner.Id(User);
        if (await BusinessDirectory.FindAsync(db, ownerId, id, ct) is null)
        {
            return NotFound();
        }

        var (name, problem) = BusinessNames.Validate(Input.Name);
        if (name is null)
        {
            Problem = $"{problem!.Message} {problem.WhatToDo}";
            return await ShowAsync(id, ct);
        }

        try
        {
            await db.Businesses.UpdateOneAsync(
                Owned.Business(ownerId, id),
                Builders<BusinessDocument>.Update.Set(b => b.Name, name).Set(b => b.NameKey, BusinessNames.Key(name)),
                cancellationToken: ct);
        }
        catch (MongoWriteException ex) when (ex.WriteError.Category == ServerErrorCategory.DuplicateKey)
        {
            Problem = $"You already have a business called \u201c{name}\u201d. Pick another name, or upload this business's files there.";
            return await ShowAsync(id, ct);
        }

        Message = $"Renamed the business to {name}.";
        return RedirectToPage(new { id });
    }

    /// <summary>
    /// <c>POST /businesses/{id}?handler=Delete</c>: only an empty business is deleted. One with analyses is refused with
    /// a message, so no analysis is left without a business or deleted along with one by surprise.
    /// </summary>
    public async Task<IActionResult> OnPostDeleteAsync(Guid id, CancellationToken ct)
    {
        var ownerId = Owner.Id(User);
        if (await BusinessDirectory.FindAsync(db, ownerId, id, ct) is not { } business)
        {
            return NotFound();
        }

        var analyses = await db.Uploads.CountDocumentsAsync(Owned.Uploads(ownerId, u => u.BusinessId == id), cancellationToken: ct);
        if (analyses > 0)
        {
            Problem = $"{business.Name} still has {Counts.Count(analyses, "analysis", "analyses")}. Delete {(analyses == 1 ? "it" : "them")} in My analyses first: only an empty business can be deleted.";
            return await ShowAsync(id, ct);
        }

        await db.Businesses.DeleteOneAsync(Owned.Business(ownerId, id), ct);
        TempData["Message"] = $"Deleted the business {business.Name}.";
        return Redirect(AnalysisLinks.Index);
    }

    private static NumberFormats Counts { get; } = NumberFormats.ForCurrency(null);

    private async Task<IActionResult> ShowAsync(Guid id, CancellationToken ct)
    {
        var history = await BusinessHistory.LoadAsync(db, Owner.Id(User), id, ct);
        if (history is null)
        {
            return NotFound();
        }

        History = history;
        Input.Name ??= history.Business.Name;
        return Page();
    }
}
