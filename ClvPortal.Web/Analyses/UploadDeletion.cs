using ClvPortal.Web.Businesses;
using ClvPortal.Web.Data;
using MongoDB.Driver;
using MongoDB.Driver.GridFS;

namespace ClvPortal.Web.Analyses;

/// <summary>Removes one upload of one owner with everything hanging off it: file, results, customer results, share links, track records.</summary>
public static class UploadDeletion
{
    /// <summary>False when the owner has no such upload (someone else's looks exactly like a missing one).</summary>
    public static async Task<bool> DeleteAsync(PortalDb db, ResultWriter results, string ownerId, Guid uploadId, CancellationToken ct)
    {
        // The upload document goes first: a running job then sees it gone and cleans up after itself.
        var upload = await db.Uploads.FindOneAndDeleteAsync(Owned.Upload(ownerId, uploadId), cancellationToken: ct);
        if (upload is null)
        {
            return false;
        }

        await db.ShareLinks.DeleteManyAsync(Owned.ShareLinks(ownerId, uploadId), ct);
        await results.DeleteResultsAsync(uploadId, ct);
        await TrackRecordScoring.DeleteForAsync(db, uploadId, ct);
        try
        {
            await db.Files.DeleteAsync(upload.GridFsFileId, ct);
        }
        catch (GridFSFileNotFoundException)
        {
            // Already gone (an earlier delete that stopped half way): the goal is reached.
        }

        return true;
    }
}
