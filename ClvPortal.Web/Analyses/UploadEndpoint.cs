using HttpResults = Microsoft.AspNetCore.Http.Results;
using System.Buffers;
using System.Security.Cryptography;
using ClvPortal.Core;
using ClvPortal.Web.Businesses;
using ClvPortal.Web.Data;
using Hangfire;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using MongoDB.Bson;
using MongoDB.Driver;
using MongoDB.Driver.GridFS;

namespace ClvPortal.Web.Analyses;

/// <summary>
/// <c>POST /Analyses/Upload</c>: streams one multipart file into GridFS as it arrives (no form
/// buffering in memory or on disk), checking its type from the first bytes and hashing it on the way,
/// then creates the upload document and enqueues the analysis. Answers JSON: <c>{ id, statusUrl }</c>
/// or <c>{ message, whatToDo }</c>. With the form field <see cref="UploadForm.CheckField"/> (the upload page
/// sends it) the upload waits instead for its owner to check the columns, and the answer adds <c>checkUrl</c>.
/// A browser posting the form without the page's script (asking for HTML, not JSON) is redirected to the next page.
/// </summary>
public static class UploadEndpoint
{
    public const string Route = "/Analyses/Upload";

    // Room for the multipart framing and the settings fields on top of the file itself.
    private const long FormOverheadBytes = 1 << 20;

    private const int BufferSize = 256 * 1024;

    public static IEndpointConventionBuilder MapUploadEndpoint(this IEndpointRouteBuilder app) =>
        app.MapPost(Route, HandleAsync)
            .RequireAuthorization()
            // Validated by hand below: the automatic check would read (and buffer) the whole form.
            .DisableAntiforgery();

    private static async Task<IResult> HandleAsync(
        HttpContext context,
        PortalDb db,
        IAntiforgery antiforgery,
        IOptions<AntiforgeryOptions> antiforgeryOptions,
        IOptions<UploadOptions> uploadOptions,
        IBackgroundJobClient jobs,
        TimeProvider clock,
        ILoggerFactory loggers)
    {
        var ownerId = Owner.Id(context.User);

        var maxBytes = uploadOptions.Value.MaxBytes;
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
        {
            sizeFeature.MaxRequestBodySize = maxBytes + FormOverheadBytes;
        }

        if (context.Request.ContentLength > maxBytes + FormOverheadBytes)
        {
            return TooLarge(maxBytes);
        }

        if (!MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var mediaType)
            || !mediaType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value is not { Length: > 0 } boundary)
        {
            return Problem(new InputProblem("The upload did not arrive as a file form.", "Upload the file from the portal's upload page."));
        }

        var ct = context.RequestAborted;
        var reader = new MultipartReader(boundary, context.Request.Body) { BodyLengthLimit = null };
        var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

        MultipartSection? section;
        while ((section = await reader.ReadNextSectionAsync(ct)) is not null)
        {
            if (section.GetContentDispositionHeader() is not { } disposition
                || !disposition.DispositionType.Equals("form-data", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (!disposition.IsFileDisposition())
            {
                if (fields.Count >= UploadForm.MaxFields)
                {
                    return Problem(new InputProblem("The upload form has too many fields.", "Upload the file from the portal's upload page."));
                }

                fields[HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? ""] = await ReadFieldAsync(section.Body, ct);
                continue;
            }

            // The file: check who sent it and what they chose before storing a byte.
            if (!await IsAntiforgeryValidAsync(context, antiforgery, antiforgeryOptions.Value, fields))
            {
                return HttpResults.BadRequest(new UploadError("The upload form has expired.", "Reload the upload page and try again."));
            }

            var (settings, settingsProblem) = UploadForm.Parse(fields);
            if (settings is null)
            {
                return Problem(settingsProblem!);
            }

            var (business, businessProblem) = BusinessChoice.Parse(fields);
            if (business is null)
            {
                return Problem(businessProblem!);
            }

            if (business.ExistingId is { } chosen && await BusinessDirectory.FindAsync(db, ownerId, chosen, ct) is null)
            {
                return Problem(BusinessChoice.NotYours);
            }

            var fileName = SafeFileName(disposition.FileName.Value ?? disposition.FileNameStar.Value);
            var check = UploadForm.WantsCheck(fields);
            var upload = new UploadDocument
            {
                Id = Guid.NewGuid(),
                OwnerId = ownerId,
                OwnerEmail = Owner.Email(context.User),
                FileName = fileName,
                Settings = settings,
                Status = check ? UploadStatus.AwaitingCheck : UploadStatus.Queued,
                Stage = check ? "Waiting for the columns to be checked" : "Queued",
                CreatedAt = clock.GetUtcNow().UtcDateTime,
            };

            var stored = await StoreAsync(db, section.Body, upload, maxBytes, loggers.CreateLogger(typeof(UploadEndpoint)), ct);
            if (stored is not null)
            {
                return stored;
            }

            // Created only now that the file is stored: a refused file leaves no empty business behind.
            upload.BusinessId = (await BusinessDirectory.ResolveAsync(db, ownerId, business, upload.CreatedAt, CancellationToken.None))?.Id;
            await db.Uploads.InsertOneAsync(upload, cancellationToken: CancellationToken.None);
            if (!check)
            {
                await AnalysisQueue.EnqueueAsync(db, jobs, upload);
            }

            var accepted = new UploadAccepted(upload.Id, AnalysisLinks.Status(upload.Id), check ? AnalysisLinks.Check(upload.Id) : null);
            return WantsPage(context.Request) ? HttpResults.Redirect(accepted.CheckUrl ?? accepted.StatusUrl) : HttpResults.Ok(accepted);
        }

        return Problem(new InputProblem("No file arrived with the upload.", "Choose a .csv or .xlsx file and upload it again."));
    }

    /// <summary>
    /// Streams the file section into GridFS, sniffing and hashing as it goes. Returns null when the file
    /// is stored (and <paramref name="upload"/> filled in), otherwise the error to send; a rejected or
    /// broken upload leaves nothing behind in GridFS.
    /// </summary>
    private static async Task<IResult?> StoreAsync(PortalDb db, Stream body, UploadDocument upload, long maxBytes, ILogger logger, CancellationToken ct)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        GridFSUploadStream? target = null;
        try
        {
            var headLength = await FillAsync(body, buffer.AsMemory(0, FileSniffer.SniffBytes), ct);
            var (format, problem) = FileSniffer.Check(upload.FileName, buffer.AsSpan(0, headLength));
            if (format is null)
            {
                return Problem(problem!);
            }

            var checkText = format == UploadFormat.Csv && !FileSniffer.IsUtf16(buffer.AsSpan(0, headLength));
            using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            target = await db.Files.OpenUploadStreamAsync(
                upload.FileName,
                new GridFSUploadOptions
                {
                    Metadata = new BsonDocument { { "uploadId", new BsonBinaryData(upload.Id, GuidRepresentation.Standard) }, { "ownerId", upload.OwnerId } },
                },
                ct);

            long total = 0;
            var length = headLength;
            while (length > 0)
            {
                total += length;
                if (total > maxBytes)
                {
                    await AbortQuietlyAsync(target);
                    return TooLarge(maxBytes);
                }

                var chunk = buffer.AsMemory(0, length);
                if (checkText && !FileSniffer.LooksLikeText(chunk.Span))
                {
                    await AbortQuietlyAsync(target);
                    return Problem(FileSniffer.NotText(upload.FileName));
                }

                sha.AppendData(chunk.Span);
                await target.WriteAsync(chunk, ct);
                length = await body.ReadAsync(buffer.AsMemory(0, BufferSize), ct);
            }

            await target.CloseAsync(ct);
            upload.GridFsFileId = target.Id;
            upload.SizeBytes = total;
            upload.Sha256 = Convert.ToHexStringLower(sha.GetHashAndReset());
            return null;
        }
        catch (Exception ex)
        {
            // A dropped connection or a database error mid-file: remove the chunks written so far.
            logger.LogWarning(ex, "Upload of {FileName} for {Owner} broke off; removing the partial file", upload.FileName, upload.OwnerId);
            await AbortQuietlyAsync(target);
            if (ex is OperationCanceledException or IOException or InvalidDataException)
            {
                return HttpResults.BadRequest(new UploadError("The upload broke off before the whole file arrived.", "Check your connection and upload the file again."));
            }

            throw;
        }
        finally
        {
            if (target is not null)
            {
                await target.DisposeAsync();
            }

            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async Task AbortQuietlyAsync(GridFSUploadStream? target)
    {
        try
        {
            if (target is not null)
            {
                await target.AbortAsync(CancellationToken.None);
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or MongoException)
        {
            // Already closed or the database is gone; GridFS never lists a file without its files document.
        }
    }

    private static async Task<int> FillAsync(Stream body, Memory<byte> buffer, CancellationToken ct)
    {
        var filled = 0;
        int read;
        while (filled < buffer.Length && (read = await body.ReadAsync(buffer[filled..], ct)) > 0)
        {
            filled += read;
        }

        return filled;
    }

    private static async Task<string> ReadFieldAsync(Stream body, CancellationToken ct)
    {
        using var reader = new StreamReader(body);
        var chars = new char[UploadForm.MaxFieldLength];
        var length = await reader.ReadBlockAsync(chars, ct);
        return new string(chars, 0, length);
    }

    /// <summary>
    /// The token comes in the antiforgery header (the page's script sends it) or as a form field sent
    /// before the file; a field is copied into the header so validation never reads the form body.
    /// </summary>
    private static async Task<bool> IsAntiforgeryValidAsync(
        HttpContext context, IAntiforgery antiforgery, AntiforgeryOptions options, Dictionary<string, string> fields)
    {
        if (options.HeaderName is not { } header)
        {
            return false;
        }

        if (string.IsNullOrEmpty(context.Request.Headers[header]))
        {
            if (!fields.TryGetValue(options.FormFieldName, out var token) || string.IsNullOrEmpty(token))
            {
                return false;
            }

            context.Request.Headers[header] = token;
        }

        try
        {
            await antiforgery.ValidateRequestAsync(context);
            return true;
        }
        catch (AntiforgeryValidationException)
        {
            return false;
        }
    }

    /// <summary>
    /// Keeps the name for display only: no directories, no control characters, bounded length. A long name
    /// is shortened before its extension, which decides how the file is read.
    /// </summary>
    internal static string SafeFileName(string? name)
    {
        const int MaxLength = 200;
        var baseName = Path.GetFileName((name ?? "").Replace('\\', '/'));
        var clean = new string(baseName.Where(c => !char.IsControl(c)).ToArray()).Trim();
        if (clean.Length <= MaxLength)
        {
            return clean.Length == 0 ? "upload" : clean;
        }

        var extension = Path.GetExtension(clean);
        return extension.Length is > 1 and <= 10 ? clean[..(MaxLength - extension.Length)] + extension : clean[..MaxLength];
    }

    /// <summary>A browser's own form post (no script) asks for HTML; the page's script and API clients ask for JSON or nothing.</summary>
    private static bool WantsPage(HttpRequest request)
    {
        var accept = request.GetTypedHeaders().Accept;
        return accept.Any(a => a.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase))
            && !accept.Any(a => a.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase));
    }

    private static IResult Problem(InputProblem problem) => HttpResults.BadRequest(new UploadError(problem.Message, problem.WhatToDo));

    private static IResult TooLarge(long maxBytes) => HttpResults.Json(
        new UploadError(
            $"The file is larger than the {maxBytes / (1024.0 * 1024):N0} MB the portal accepts.",
            "Upload a smaller export, for example fewer years or only the columns the analysis needs."),
        statusCode: StatusCodes.Status413PayloadTooLarge);
}

/// <param name="CheckUrl">The check-columns step, when the upload waits for it; null when the analysis is queued.</param>
public sealed record UploadAccepted(Guid Id, string StatusUrl, string? CheckUrl = null);

public sealed record UploadError(string Message, string WhatToDo);
